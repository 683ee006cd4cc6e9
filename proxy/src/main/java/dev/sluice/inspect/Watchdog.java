package dev.sluice.inspect;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Ends an exchange that takes too long by closing its socket, which makes whatever read, write
 * or handshake is blocked on it fail at once. One clock for every wait: the connect deadline
 * while connecting, then the transfer's deadline ({@code -m}) and the stall limit ({@code -y}:
 * no byte either way for that long). Runs on a virtual thread of its own for one exchange.
 */
final class Watchdog implements AutoCloseable {

    /** "No deadline": far enough that it never comes, near enough that nanoTime arithmetic cannot overflow. */
    static final long NEVER = Duration.ofDays(365).toNanos();

    private final long start;
    private final long stallNanos;
    private final Thread thread;
    private volatile long deadline;
    private volatile String deadlineWhat;
    private volatile boolean stallChecked;
    private volatile long lastProgress;
    private volatile Socket socket;
    private volatile String expired;
    private volatile boolean closed;

    private Watchdog(long start, long deadline, long stallNanos) {
        this.start = start;
        this.deadline = deadline;
        this.deadlineWhat = "Connection";
        this.stallNanos = stallNanos;
        this.lastProgress = start;
        this.thread = Thread.ofVirtual().name("inspect-watchdog").unstarted(this::run);
    }

    /** Watches from {@code start} (System.nanoTime) with the connect deadline {@code connectDeadline}. */
    static Watchdog start(long start, long connectDeadline, Duration stall) {
        Watchdog w = new Watchdog(start, connectDeadline, stall.toNanos());
        w.thread.start();
        return w;
    }

    /** The socket to close when time runs out; closed at once if it already has. */
    void watch(Socket s) {
        socket = s;
        if (expired != null) {
            closeQuietly(s);
        }
    }

    /** Connected: from now the transfer's deadline and the stall limit apply. */
    void transferring(long transferDeadline) {
        deadlineWhat = "Operation";
        deadline = transferDeadline;
        lastProgress = System.nanoTime();
        stallChecked = true;
        LockSupport.unpark(thread);
    }

    /** Bytes moved. */
    void progress() {
        lastProgress = System.nanoTime();
    }

    /** Why the socket was closed (curl's words), or null while time has not run out. */
    String expired() {
        return expired;
    }

    private void run() {
        while (!closed) {
            long now = System.nanoTime();
            long due = deadline;
            boolean stall = false;
            if (stallChecked && lastProgress + stallNanos - due < 0) {
                due = lastProgress + stallNanos;
                stall = true;
            }
            if (now - due >= 0) {
                long ms = Duration.ofNanos(now - start).toMillis();
                expired = stall ? "No data moved for " + Duration.ofNanos(stallNanos).toMillis()
                        + " ms (-y/--speed-time), " + ms + " ms in"
                        : deadlineWhat + " timed out after " + ms + " ms";
                Socket s = socket;
                if (s != null) {
                    closeQuietly(s);
                }
                return;
            }
            LockSupport.parkNanos(this, due - now);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing is how the blocked call is ended; that call reports the timeout
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }
}
