package dev.sluice.route;

import static java.util.Objects.requireNonNull;

import dev.sluice.balance.Backend;
import dev.sluice.codec.HostKey;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ③ An immutable snapshot of the routing rules, indexed for lookup. A request reads the current
 * table once (through {@link RouteTableRef}) and keeps it; a config change builds a new table.
 *
 * <p>First match wins across three indexes: exact hosts, wildcard suffixes and host-less rules.
 * Each index keeps its rules in config order, so a lookup takes the first path match from each
 * candidate list and returns the one earliest in the config.
 */
public final class RouteTable {

    private static final Route[] NONE = new Route[0];

    private final long version;
    private final List<Route> routes;
    private final Map<String, Route[]> exact;
    private final Map<String, Route[]> wildcard; // keyed by the suffix after "*."
    /** Lengths of the wildcard suffixes: only a suffix of one of these lengths is looked up. */
    private final boolean[] suffixLengths = new boolean[HostKey.MAX_LENGTH + 1];
    private final Route[] anyHost;
    private final Map<InetSocketAddress, Backend> backends;
    private final Map<String, Pool> pools;

    public RouteTable(long version, List<Route> routes) {
        this.version = version;
        this.routes = List.copyOf(routes);
        Map<String, List<Route>> exactLists = new HashMap<>();
        Map<String, List<Route>> wildcardLists = new HashMap<>();
        List<Route> any = new ArrayList<>();
        for (Route r : this.routes) {
            if (r.host() == null) {
                any.add(r);
            } else if (r.host().startsWith("*.")) {
                wildcardLists.computeIfAbsent(r.host().substring(2), k -> new ArrayList<>()).add(r);
            } else {
                exactLists.computeIfAbsent(r.host(), k -> new ArrayList<>()).add(r);
            }
        }
        this.exact = toArrays(exactLists);
        this.wildcard = toArrays(wildcardLists);
        wildcardLists.keySet().forEach(suffix -> suffixLengths[Math.min(suffix.length(), HostKey.MAX_LENGTH)] = true);
        this.anyHost = any.toArray(NONE);
        Map<InetSocketAddress, Backend> byAddress = new HashMap<>();
        Map<String, Pool> byName = new HashMap<>();
        for (Route r : this.routes) {
            r.pool().balancer().backends().forEach(b -> byAddress.putIfAbsent(b.address(), b));
            byName.putIfAbsent(r.pool().name(), r.pool());
        }
        this.backends = Map.copyOf(byAddress);
        this.pools = Map.copyOf(byName);
    }

    public static RouteTable empty() {
        return new RouteTable(0, List.of());
    }

    /** This snapshot's number; each change publishes a higher one. */
    public long version() {
        return version;
    }

    public List<Route> routes() {
        return routes;
    }

    /**
     * Whether a pool of this table still sends requests to {@code address}. An upstream connection to
     * a backend that left every pool is closed once its request is done: that is how a backend drains.
     */
    public boolean serves(InetSocketAddress address) {
        return backends.containsKey(address);
    }

    /** The pool called {@code name} that some route leads to, or {@code null}. */
    public Pool pool(String name) {
        return pools.get(name);
    }

    /** The backends of this table's pools, by socket address. */
    public Map<InetSocketAddress, Backend> backends() {
        return backends;
    }

    /**
     * The first rule matching a request, or {@code null}.
     *
     * @param hostKey the canonical host ({@link HostKey}), or {@code null} when the request named none
     * @param path the request path without the query
     */
    public Route match(String hostKey, String path) {
        requireNonNull(path, "path");
        Route best = first(anyHost, path, null);
        if (hostKey != null) {
            best = first(exact.getOrDefault(hostKey, NONE), path, best);
            // *.example matches every name below example, at any depth, but not example itself.
            for (int dot = hostKey.indexOf('.'); dot >= 0; dot = hostKey.indexOf('.', dot + 1)) {
                int length = hostKey.length() - dot - 1;
                if (length < suffixLengths.length && suffixLengths[length]) {
                    Route[] rules = wildcard.get(hostKey.substring(dot + 1));
                    if (rules != null) {
                        best = first(rules, path, best);
                    }
                }
            }
        }
        return best;
    }

    private static Route first(Route[] rules, String path, Route best) {
        for (Route r : rules) {
            if (best != null && r.index() > best.index()) {
                return best;
            }
            if (r.matchesPath(path)) {
                return r;
            }
        }
        return best;
    }

    private static Map<String, Route[]> toArrays(Map<String, List<Route>> lists) {
        Map<String, Route[]> arrays = new HashMap<>(lists.size() * 2);
        lists.forEach((k, v) -> arrays.put(k, v.toArray(NONE)));
        return Map.copyOf(arrays);
    }
}
