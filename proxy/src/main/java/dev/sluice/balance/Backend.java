package dev.sluice.balance;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * ④ An {@link Endpoint} with its resolved socket address and the number of requests in flight
 * on it — the load that least-request and bounded-load hashing read. Shared by all event loops;
 * the counter is the only mutable part.
 */
public final class Backend {

    private final Endpoint endpoint;
    private final InetSocketAddress address;
    private final AtomicInteger inFlight = new AtomicInteger();

    public Backend(Endpoint endpoint, InetSocketAddress address) {
        this.endpoint = requireNonNull(endpoint, "endpoint");
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

    @Override
    public String toString() {
        return endpoint.authority();
    }
}
