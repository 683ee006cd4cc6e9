package dev.sluice.accesslog;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ⑦ Records lost for one reason (the queue was full, a sink failed), counted exactly and warned
 * about at most once every few seconds, with how many since the last warning: a flood of losses
 * makes a few lines, not one per record. Lock-free; callable from event loops.
 */
final class LossCounter {

    private static final Logger log = LoggerFactory.getLogger(AccessLog.class);
    static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final String word;
    private final String subject;
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong warned = new AtomicLong();
    private final AtomicLong nextWarning = new AtomicLong(System.nanoTime());

    /**
     * @param word the stable cause word the warning starts with
     * @param subject what lost them: {@code queue}, {@code sink=file /var/log/…}
     */
    LossCounter(String word, String subject) {
        this.word = word;
        this.subject = subject;
    }

    /** Counts {@code records} more lost, because of {@code cause} (an exception, or text). */
    void add(long records, Object cause) {
        long all = total.addAndGet(records);
        long now = System.nanoTime();
        long due = nextWarning.get();
        if (now - due >= 0 && nextWarning.compareAndSet(due, now + WARN_EVERY_NANOS)) {
            long since = all - warned.getAndSet(all);
            // a cause as text: an exception's stack says nothing about a disk that is full
            log.warn("{} {}: records lost: {} since the last warning, {} in all: {}", word, subject, since, all,
                    String.valueOf(cause));
        }
    }

    long total() {
        return total.get();
    }
}
