package dev.sluice.accesslog;

import dev.sluice.config.HostPort;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ⑦ A sink's connection to its syslog receiver: opened when first needed, and again after it
 * failed, but not before a pause that doubles with each failure in a row (100 ms up to 5 s), so a
 * receiver that is gone costs one attempt per pause, not one per batch. Used by the writer thread;
 * {@link #close()} from any thread.
 */
final class Reconnector<C extends Closeable> implements Closeable {

    /** Opens a connection; may block (DNS, connect), which is fine on the writer thread. */
    @FunctionalInterface
    interface Opener<C> {
        C open() throws IOException;
    }

    private static final Logger log = LoggerFactory.getLogger(AccessLog.class);
    private static final long FIRST_PAUSE = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long MAX_PAUSE = TimeUnit.SECONDS.toNanos(5);

    private final String sink;
    private final Opener<C> opener;
    private volatile C current;
    private volatile boolean closed;
    private long pause;
    private long nextTry;
    private IOException lastFailure;

    Reconnector(String sink, Opener<C> opener) {
        this.sink = sink;
        this.opener = opener;
    }

    /** The address of {@code hostPort}, looked up now: a receiver whose name moved is found again. */
    static InetSocketAddress resolve(HostPort hostPort) throws UnknownHostException {
        InetSocketAddress address = new InetSocketAddress(hostPort.host(), hostPort.port());
        if (address.isUnresolved()) {
            throw new UnknownHostException(hostPort.host() + ": no such host");
        }
        return address;
    }

    /**
     * The open connection, or a new one.
     *
     * @throws IOException why there is none: the open failed now, or the last one did and its pause
     *     has not passed
     */
    C get() throws IOException {
        C c = current;
        if (c != null) {
            return c;
        }
        if (closed) {
            throw new IOException("closed");
        }
        long now = System.nanoTime();
        if (lastFailure != null && now - nextTry < 0) {
            throw new IOException("not connected, next try in "
                    + TimeUnit.NANOSECONDS.toMillis(nextTry - now) + " ms; last failure: " + lastFailure.getMessage());
        }
        try {
            c = opener.open();
        } catch (IOException e) {
            failedAt(now, e);
            throw e;
        }
        if (lastFailure != null) {
            log.info("access_log_sink_connected sink={}: connected again", sink);
        }
        pause = 0;
        lastFailure = null;
        current = c;
        if (closed) { // closed while it opened
            close();
        }
        return c;
    }

    /** The connection broke because of {@code cause}: it is closed, and the next one waits a pause. */
    void failed(IOException cause) {
        C c = current;
        current = null;
        closeQuietly(c, cause);
        failedAt(System.nanoTime(), cause);
    }

    private void failedAt(long now, IOException cause) {
        pause = pause == 0 ? FIRST_PAUSE : Math.min(pause * 2, MAX_PAUSE);
        nextTry = now + pause;
        lastFailure = cause;
    }

    @Override
    public void close() {
        closed = true;
        C c = current;
        current = null;
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                log.warn("access_log_sink_close_failed sink={}: {}", sink, e.toString());
            }
        }
    }

    /** Closes a connection that already failed; a second failure is kept with the first. */
    private static void closeQuietly(Closeable c, IOException cause) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }
}
