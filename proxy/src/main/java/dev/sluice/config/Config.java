package dev.sluice.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole validated configuration: where to listen, the pools, the routes in match order, and
 * the server settings. Immutable; compiled into a {@code RouteTable} to take effect.
 *
 * @param threads event loops; 0 means one per available core
 * @param shutdownTimeout how long in-flight requests may take to finish on SIGTERM
 */
public record Config(
        HostPort listen,
        TransportChoice transport,
        int threads,
        Duration shutdownTimeout,
        UpstreamSettings upstream,
        Map<String, PoolConfig> pools,
        List<RouteConfig> routes) {

    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    public Config {
        requireNonNull(listen, "listen");
        requireNonNull(transport, "transport");
        requireNonNull(shutdownTimeout, "shutdownTimeout");
        requireNonNull(upstream, "upstream");
        pools = Collections.unmodifiableMap(new LinkedHashMap<>(pools)); // keeps config order
        routes = List.copyOf(routes);
    }
}
