package dev.sluice.cli;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Runs a clean stop on SIGTERM or SIGINT and exits 0. A shutdown hook alone would exit 143 after
 * SIGTERM, which init systems report as a failure even when the drain went well.
 */
final class Shutdown {

    private static final Logger log = LoggerFactory.getLogger(Shutdown.class);

    private Shutdown() {}

    static void onSignal(Runnable stop) {
        Thread once = Thread.ofPlatform().name("sluice-shutdown").unstarted(() -> {
            stop.run();
            log.info("stopped");
            System.exit(0);
        });
        AtomicBoolean started = new AtomicBoolean();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), sig -> {
                if (started.compareAndSet(false, true)) {
                    log.info("SIG{}: draining", sig.getName());
                    once.start();
                }
            });
        }
    }
}
