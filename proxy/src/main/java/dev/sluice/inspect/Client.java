package dev.sluice.inspect;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Sends a {@link RequestSpec} over HTTP/1.x and keeps everything about it for display: the
 * exact bytes each way, when each step ended, the response as read and decoded. Follows
 * redirects with {@code -L}, goes through an HTTP proxy with {@code -x}, bounds every wait and
 * size. Each exchange has a connection of its own.
 *
 * <p>{@link #send} blocks until the transfer ends and never throws for a network or protocol
 * problem: that is the transfer's {@link Failure}. Run it on a virtual thread to be able to
 * cancel it: interrupting that thread closes its socket and ends the transfer as
 * {@link Failure.Kind#CANCELLED}. A client holds no state; one may send from many threads.
 */
public final class Client {

    private final Resolver resolver;

    private Client(Resolver resolver) {
        this.resolver = resolver;
    }

    /** A client that resolves names with the system's resolver. */
    public static Client create() {
        return new Client(Resolver.SYSTEM);
    }

    /** A client that resolves names with {@code resolver}. */
    public static Client using(Resolver resolver) {
        return new Client(requireNonNull(resolver, "resolver"));
    }

    public Transfer send(RequestSpec spec) {
        requireNonNull(spec, "spec");
        long start = System.nanoTime();
        HttpVersion version = spec.options().version();
        if (!version.sendable()) {
            return new Transfer(spec, List.of(), Duration.ZERO, new Failure(Failure.Kind.NOT_BUILT_IN, version.wire()
                    + " (" + version.option() + ") is not implemented in sluice inspect yet: it sends HTTP/1.1 and"
                    + " HTTP/1.0; drop " + version.option() + " to send HTTP/1.1"));
        }
        Duration maxTime = spec.options().maxTime();
        long deadline = start + (maxTime == null ? Watchdog.NEVER : maxTime.toNanos());
        List<Exchange> exchanges = new ArrayList<>();
        RequestSpec current = spec;
        while (true) {
            Exchange e = new Call(current, resolver, deadline).run();
            exchanges.add(e);
            if (e.failure() != null || !current.options().followRedirects()) {
                return done(spec, exchanges, start, e.failure());
            }
            Optional<RequestSpec> next;
            try {
                next = Redirect.next(current, e.response());
            } catch (CurlException x) {
                Failure.Kind kind = x.exitCode() == CurlException.UNSUPPORTED_PROTOCOL
                        ? Failure.Kind.UNSUPPORTED_PROTOCOL : Failure.Kind.BAD_URL;
                return done(spec, exchanges, start, new Failure(kind, "cannot follow the redirect: " + x.getMessage()));
            }
            if (next.isEmpty()) {
                return done(spec, exchanges, start, null);
            }
            if (exchanges.size() > current.options().maxRedirects()) {
                return done(spec, exchanges, start, new Failure(Failure.Kind.TOO_MANY_REDIRECTS,
                        "Maximum (" + current.options().maxRedirects() + ") redirects followed"));
            }
            current = next.get();
        }
    }

    private static Transfer done(RequestSpec spec, List<Exchange> exchanges, long start, Failure failure) {
        return new Transfer(spec, exchanges, Duration.ofNanos(System.nanoTime() - start), failure);
    }
}
