package dev.sluice.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Waits for SIGTERM or SIGINT, then runs a clean stop. A shutdown hook alone would make the JVM
 * exit 143 after SIGTERM, which init systems report as a failure even when the drain went well.
 */
final class Shutdown {

    private static final Logger log = LoggerFactory.getLogger(Shutdown.class);

    private Shutdown() {}

    /** Blocks until a signal came and {@code stop} has run. */
    static void awaitSignal(Runnable stop) throws InterruptedException {
        CountDownLatch signalled = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), sig -> {
                if (first.getAndSet(false)) {
                    log.info("SIG{}: draining", sig.getName());
                    signalled.countDown();
                }
            });
        }
        signalled.await();
        stop.run();
        log.info("stopped");
    }
}
