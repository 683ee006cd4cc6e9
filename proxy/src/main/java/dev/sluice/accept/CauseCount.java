package dev.sluice.accept;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Counts the events of one cause word (connections refused, requests shed) from any thread, and
 * logs them at most once a second whatever their rate, with the count since the last line.
 */
final class CauseCount {

    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Logger log;
    private final String word;
    private final String what;
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong logged = new AtomicLong();
    private final AtomicLong nextLog = new AtomicLong(System.nanoTime());

    /**
     * @param word the stable cause word each line starts with
     * @param what what was done to each, as the line says it: "connections closed at accept"
     */
    CauseCount(Logger log, String word, String what) {
        this.log = log;
        this.word = word;
        this.what = what;
    }

    String word() {
        return word;
    }

    /** One more event; {@code client} names who caused it, for the line. */
    void count(String client) {
        long total = count.incrementAndGet();
        long now = System.nanoTime();
        long due = nextLog.get();
        if (now - due >= 0 && nextLog.compareAndSet(due, now + LOG_EVERY_NANOS)) {
            long since = total - logged.getAndSet(total);
            log.warn("{} client={} {}: {} since the last line, {} in all", word, client, what, since, total);
        }
    }
}
