package dev.sluice.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * The signals a server answers: SIGTERM and SIGINT stop it cleanly, SIGHUP reloads its config,
 * SIGUSR1 reopens its access log. A
 * shutdown hook alone would make the JVM exit 143 after SIGTERM, which init systems report as a
 * failure even when the drain went well.
 */
final class Signals {

    private static final Logger log = LoggerFactory.getLogger(Signals.class);

    private Signals() {}

    /** SIGHUP runs {@code reload} (on a thread of its own, so signals are never held up). */
    static void onHangup(Runnable reload) {
        Signal.handle(new Signal("HUP"), sig -> {
            log.info("SIGHUP: reloading the config");
            Thread.ofVirtual().name("sluice-sighup").start(reload);
        });
    }

    /** SIGUSR1 runs {@code reopen}: logrotate has moved the access log away. */
    static void onUser1(Runnable reopen) {
        Signal.handle(new Signal("USR1"), sig -> {
            log.info("SIGUSR1: reopening the access log");
            reopen.run(); // only queues the reopen for the log's writer
        });
    }

    /** Blocks until SIGTERM or SIGINT came and {@code stop} has run. */
    static void awaitTermination(Runnable stop) throws InterruptedException {
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
