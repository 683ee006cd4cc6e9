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
 * @param admin the admin listener, its token and where changes are kept
 * @param front client timeouts and limits
 * @param accessLog where finished requests are logged; {@link AccessLogSettings#NONE}: nowhere
 */
public record Config(
        HostPort listen,
        TransportChoice transport,
        int threads,
        Duration shutdownTimeout,
        UpstreamSettings upstream,
        Map<String, PoolConfig> pools,
        List<RouteConfig> routes,
        AdminSettings admin,
        FrontDoor front,
        AccessLogSettings accessLog) {

    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    public Config {
        requireNonNull(listen, "listen");
        requireNonNull(transport, "transport");
        requireNonNull(shutdownTimeout, "shutdownTimeout");
        requireNonNull(upstream, "upstream");
        requireNonNull(admin, "admin");
        requireNonNull(front, "front");
        requireNonNull(accessLog, "accessLog");
        pools = Collections.unmodifiableMap(new LinkedHashMap<>(pools)); // keeps config order
        routes = List.copyOf(routes);
    }

    /** This config with {@code pools} and {@code routes} in place of its own. */
    public Config with(Map<String, PoolConfig> pools, List<RouteConfig> routes) {
        return new Config(listen, transport, threads, shutdownTimeout, upstream, pools, routes, admin, front, accessLog);
    }

    /** This config with other admin settings. */
    public Config with(AdminSettings admin) {
        return new Config(listen, transport, threads, shutdownTimeout, upstream, pools, routes, admin, front, accessLog);
    }

    /** This config with other access log settings. */
    public Config with(AccessLogSettings accessLog) {
        return new Config(listen, transport, threads, shutdownTimeout, upstream, pools, routes, admin, front, accessLog);
    }
}
