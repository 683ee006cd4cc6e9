package dev.sluice.accesslog;

import static java.util.Objects.requireNonNull;

import dev.sluice.config.AccessLogSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ⑦ The access log: takes each finished request's {@link AccessRecord} on the event loop and writes
 * it, off the event loops, to a file or standard output and/or a syslog receiver
 * (docs/access-log.md).
 *
 * <ol>
 *   <li>{@link #accept} offers the record to a bounded queue and returns at once. When the queue is
 *       full the record is dropped and counted ({@link #dropped()}), and a warning with the stable
 *       word {@code access_log_dropped} says how many, at most once every few seconds.
 *   <li>One daemon thread, {@code sluice-access-log}, takes what is queued in batches, formats each
 *       record once and hands the batch to every sink: one write per batch, not per record. After a
 *       batch it lingers {@link #LINGER} before taking the next, so that under load records gather
 *       in the queue without waking it one by one (a wake-up is two futex calls and a switch of
 *       threads per request); a line reaches its sink at most about that late.
 *   <li>A sink that fails counts what it lost ({@link #lost()}) and warns; the others, and the
 *       proxy, go on.
 * </ol>
 *
 * <p>The queue's lock is held for one array store by {@code accept} and for one bounded drain by
 * the writer, never across I/O. {@link #reopen()} (SIGUSR1, after logrotate) and {@link #close()}
 * may be called from any thread.
 */
public final class AccessLog implements RecordSink, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AccessLog.class);
    /** Records formatted and written at once; bounds the batch's memory. */
    static final int BATCH = 1024;
    /** How long the writer lets records gather after a batch. */
    static final Duration LINGER = Duration.ofMillis(10);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    /** Markers in the queue: reopen there, in order with the records; wake the writer to close. */
    private static final AccessRecord REOPEN = marker("reopen");
    private static final AccessRecord WAKE = marker("wake");

    private final List<LogSink> sinks;
    private final BlockingQueue<AccessRecord> queue;
    private final Batch batch;
    private final LossCounter drops;
    private final Thread writer;
    /** A reopen asked for while the queue was full: done before the next batch. */
    private final AtomicBoolean reopenLate = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private AccessLog(AccessLogFormat format, List<LogSink> sinks, int capacity) {
        this.sinks = List.copyOf(sinks);
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.batch = new Batch(format);
        this.drops = new LossCounter("access_log_dropped", "queue=" + capacity);
        this.writer = Thread.ofPlatform().name("sluice-access-log").daemon(true).unstarted(this::run);
    }

    /**
     * The access log {@code settings} describe, its writer started; with no destination configured,
     * one that takes every record and writes nothing, with no thread.
     *
     * @throws IOException when the file cannot be opened (a missing directory, permissions), or a
     *     unix syslog socket is asked for where there is no epoll. A syslog receiver that is not
     *     there yet is not an error: it is connected to when it comes.
     */
    public static AccessLog open(AccessLogSettings settings) throws IOException {
        requireNonNull(settings, "settings");
        List<LogSink> sinks = new ArrayList<>();
        try {
            if (settings.file() != null) {
                sinks.add(FileSink.open(settings.file()));
            }
            if (settings.stdout()) {
                sinks.add(new StdoutSink());
            }
            if (settings.syslog() != null) {
                SyslogMessage message = SyslogMessage.local();
                sinks.add(switch (settings.syslog()) {
                    case AccessLogSettings.Syslog.Udp udp -> new UdpSyslogSink(udp.address(), message);
                    case AccessLogSettings.Syslog.Tcp tcp -> new TcpSyslogSink(tcp.address(), message);
                    case AccessLogSettings.Syslog.Unix unix -> UnixSyslogSink.open(unix.socket(), message);
                });
            }
        } catch (IOException | RuntimeException e) {
            sinks.forEach(LogSink::close);
            throw e;
        }
        AccessLog accessLog = new AccessLog(AccessLogFormat.of(settings.format()), sinks, settings.queue());
        if (!sinks.isEmpty()) {
            accessLog.writer.start();
        }
        return accessLog;
    }

    /** Queues {@code record} for the writer, or drops and counts it when the queue is full. Never blocks. */
    @Override
    public void accept(AccessRecord record) {
        if (sinks.isEmpty()) {
            return;
        }
        if (closed.get()) {
            drops.add(1, "the log is closed");
        } else if (!queue.offer(record)) {
            drops.add(1, "the queue is full: the writer falls behind its sinks");
        }
    }

    /**
     * Opens every sink's destination again (the file at its path), on the writer thread: after the
     * records queued before this call, before those queued after it. With the queue full it happens
     * before the next batch instead.
     */
    public void reopen() {
        if (!sinks.isEmpty() && !queue.offer(REOPEN)) {
            reopenLate.set(true);
        }
    }

    /** Records dropped because the queue was full (or the log closed), since it opened. */
    public long dropped() {
        return drops.total();
    }

    /**
     * Records the sinks could not write (a disk full, a receiver gone), since the log opened: a
     * record two sinks lost counts twice.
     */
    public long lost() {
        return sinks.stream().mapToLong(LogSink::lost).sum();
    }

    /**
     * Writes what is queued and closes the sinks. Waits at most a few seconds for the writer; past
     * that the sinks are closed under it (a receiver that takes nothing), and what was still queued
     * counts as dropped. Records accepted after this are dropped.
     */
    @Override
    public void close() {
        if (sinks.isEmpty() || closed.getAndSet(true)) {
            return;
        }
        queue.offer(WAKE); // when the queue is full the writer is awake already
        LockSupport.unpark(writer); // cuts a linger short
        if (!join(CLOSE_WAIT)) {
            log.warn("access_log_close_timeout: the writer did not finish in {} s; closing its sinks under it",
                    CLOSE_WAIT.toSeconds());
            sinks.forEach(LogSink::close);
            join(Duration.ofSeconds(1));
        }
        long left = queue.stream().filter(r -> r != REOPEN && r != WAKE).count();
        queue.clear();
        if (left > 0) {
            drops.add(left, "not written before the log closed");
        }
    }

    private boolean join(Duration wait) {
        try {
            return writer.join(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !writer.isAlive();
        }
    }

    private void run() {
        List<AccessRecord> taken = new ArrayList<>(BATCH);
        try {
            while (!(closed.get() && queue.isEmpty())) {
                taken.add(queue.take());
                queue.drainTo(taken, BATCH - 1);
                if (reopenLate.getAndSet(false)) {
                    reopenSinks();
                }
                for (AccessRecord r : taken) {
                    if (r == REOPEN) {
                        writeBatch();
                        reopenSinks();
                    } else if (r != WAKE) {
                        add(r);
                    }
                }
                taken.clear();
                writeBatch();
                if (!closed.get()) {
                    LockSupport.parkNanos(LINGER.toNanos());
                }
            }
        } catch (InterruptedException e) {
            closed.set(true);
            log.warn("access_log_stopped: the writer was interrupted; records from now on are dropped");
        } finally {
            sinks.forEach(LogSink::close);
        }
    }

    private void add(AccessRecord record) {
        try {
            batch.add(record);
        } catch (RuntimeException e) { // a record the format cannot take must not stop the log
            log.error("access_log_format_failed: a record was not written: {}", record, e);
        }
    }

    private void writeBatch() {
        if (batch.isEmpty()) {
            return;
        }
        for (LogSink sink : sinks) {
            try {
                sink.write(batch);
            } catch (RuntimeException e) { // a bug in one sink must not stop the others
                log.error("access_log_sink_failed sink={}: {} records not written", sink.name(), batch.size(), e);
            }
        }
        batch.clear();
    }

    private void reopenSinks() {
        for (LogSink sink : sinks) {
            sink.reopen();
        }
    }

    private static AccessRecord marker(String name) {
        String none = AccessRecord.NONE;
        return new AccessRecord(0, none, 0, none, none, name, none, 0, 0, 0, 0, 0, none, none, none, 0, -1, -1, none,
                none, none, none);
    }
}
