package dev.sluice.config;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The changes made through the admin API, kept apart from the config file and applied over it
 * (see {@link ConfigOverlay}): the backend lists of the pools that were changed, and the route list
 * when it was replaced. This is what the state store keeps durable.
 *
 * @param version the number of the last acknowledged change; grows by one with each
 * @param pools backend lists by canonical pool name; a pool not here keeps the file's list
 * @param routes the route list in place of the file's, or {@code null} to keep the file's
 */
public record DynamicState(long version, Map<String, List<BackendConfig>> pools, List<RouteConfig> routes) {

    public static final DynamicState EMPTY = new DynamicState(0, Map.of(), null);

    public DynamicState {
        requireNonNull(pools, "pools");
        TreeMap<String, List<BackendConfig>> sorted = new TreeMap<>();
        pools.forEach((name, backends) -> sorted.put(name, List.copyOf(backends)));
        pools = Collections.unmodifiableMap(sorted);
        routes = routes == null ? null : List.copyOf(routes);
    }

    /** The next state: {@code pool}'s backends replaced. */
    public DynamicState withPool(String pool, List<BackendConfig> backends) {
        TreeMap<String, List<BackendConfig>> next = new TreeMap<>(pools);
        next.put(pool, backends);
        return new DynamicState(version + 1, next, routes);
    }

    /** The next state: the route list replaced. */
    public DynamicState withRoutes(List<RouteConfig> next) {
        return new DynamicState(version + 1, pools, requireNonNull(next, "next"));
    }
}
