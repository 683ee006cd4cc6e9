package dev.sluice.balance;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * ④ An {@link Endpoint} with its resolved socket address and its live state: the requests in
 * flight on it (the load that least-request and bounded-load hashing read), its open connections
 * (for circuit breaking), and whether it may take requests — not {@linkplain #markDown down} by an
 * active health check and not {@linkplain #ejectUntil ejected} by outlier detection. Shared by all
 * event loops; every mutable part is atomic or volatile.
 */
public final class Backend {

    /** What the admin API and metrics show for a backend. */
    public enum State {
        UP, DOWN, EJECTED;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Endpoint endpoint;
    /** {@code host:port}, made once: every request's record names its backend. */
    private final String name;
    private final InetSocketAddress address;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile boolean down;
    /** {@link System#nanoTime()} until which it is ejected; 0 when it is not. */
    private volatile long ejectedUntil;

    public Backend(Endpoint endpoint, InetSocketAddress address) {
        this.endpoint = requireNonNull(endpoint, "endpoint");
        this.name = endpoint.authority();
        this.address = requireNonNull(address, "address");
    }

    /** A backend whose host is an IP literal or a name resolved now; control plane only (may block on DNS). */
    public static Backend resolve(Endpoint endpoint) {
        InetSocketAddress address = new InetSocketAddress(endpoint.host(), endpoint.port());
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("backend host \"" + endpoint.host() + "\" does not resolve");
        }
        return new Backend(endpoint, address);
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    public InetSocketAddress address() {
        return address;
    }

    public int weight() {
        return endpoint.weight();
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** A request was sent to this backend. */
    public void begin() {
        inFlight.incrementAndGet();
    }

    /** A request sent to this backend ended, however it ended. */
    public void end() {
        inFlight.decrementAndGet();
    }

    /** Open upstream connections to this backend, on all event loops. */
    public int connections() {
        return connections.get();
    }

    /** Counts a connection that is being opened; {@link #connectionClosed()} when it is gone. */
    public void connectionOpened() {
        connections.incrementAndGet();
    }

    public void connectionClosed() {
        connections.decrementAndGet();
    }

    /** Whether this backend may take a new request now. */
    public boolean available() {
        // Every balancer asks this of every candidate: no clock read unless it was ever ejected
        return !down && (ejectedUntil == 0 || !ejected(System.nanoTime()));
    }

    public State state() {
        return down ? State.DOWN : ejected(System.nanoTime()) ? State.EJECTED : State.UP;
    }

    /** The active health check's verdict: down (no requests) or up. */
    public void markDown(boolean isDown) {
        this.down = isDown;
    }

    public boolean isDown() {
        return down;
    }

    /** Outlier detection takes it out of rotation until {@code nanoTime} ({@link System#nanoTime()}). */
    public void ejectUntil(long nanoTime) {
        this.ejectedUntil = nanoTime;
    }

    /** Ends an ejection early (an active check passed). */
    public void unEject() {
        this.ejectedUntil = 0;
    }

    /** Whether it is ejected at {@code now} ({@link System#nanoTime()}). */
    public boolean ejected(long now) {
        long until = ejectedUntil;
        return until != 0 && now - until < 0;
    }

    @Override
    public String toString() {
        return name;
    }
}
