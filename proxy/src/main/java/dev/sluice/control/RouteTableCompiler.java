package dev.sluice.control;

import static java.util.Objects.requireNonNull;

import dev.sluice.balance.Backend;
import dev.sluice.balance.Endpoint;
import dev.sluice.balance.LoadBalancer;
import dev.sluice.config.BackendConfig;
import dev.sluice.config.Config;
import dev.sluice.config.PoolConfig;
import dev.sluice.config.PoolPolicy;
import dev.sluice.config.RouteConfig;
import dev.sluice.health.PoolGuard;
import dev.sluice.route.Pool;
import dev.sluice.route.Route;
import dev.sluice.route.RouteTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles a validated {@link Config} into the immutable {@link RouteTable} the data path reads.
 * Resolves backend host names, so it runs on a control-plane thread, never an event loop.
 */
public final class RouteTableCompiler {

    private RouteTableCompiler() {}

    public static RouteTable compile(Config config, long version) {
        return compile(config, version, RouteTable.empty());
    }

    /**
     * Like {@link #compile(Config, long)}, keeping the {@link Backend}s of {@code previous} whose
     * endpoint is unchanged: their in-flight counts carry over, so balancing does not forget the
     * load that requests started on the old table still put on them.
     */
    public static RouteTable compile(Config config, long version, RouteTable previous) {
        requireNonNull(config, "config");
        Map<Endpoint, Backend> known = new HashMap<>();
        previous.backends().values().forEach(b -> known.put(b.endpoint(), b));
        Map<String, Pool> pools = new HashMap<>();
        for (PoolConfig pc : config.pools().values()) {
            List<Backend> backends = new ArrayList<>(pc.backends().size());
            for (BackendConfig bc : pc.backends()) {
                Endpoint endpoint = new Endpoint(bc.address().host(), bc.address().port(), bc.weight());
                Backend kept = known.get(endpoint);
                try {
                    backends.add(kept != null ? kept : Backend.resolve(endpoint));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("pools." + pc.name() + ".backends: " + e.getMessage(), e);
                }
            }
            pools.put(pc.name(), new Pool(pc.name(), pc.balance(),
                    LoadBalancer.of(pc.balance(), backends, pc.hashEpsilon()), guard(pc.policy(), backends)));
        }
        List<Route> routes = new ArrayList<>(config.routes().size());
        for (int i = 0; i < config.routes().size(); i++) {
            RouteConfig rc = config.routes().get(i);
            Pool pool = pools.get(rc.pool());
            if (pool == null) {
                throw new IllegalArgumentException("route " + i + " names pool \"" + rc.pool() + "\", which does not exist");
            }
            routes.add(new Route(i, rc.host(), rc.path(), pool, rc.maxBody()));
        }
        return new RouteTable(version, routes);
    }

    private static PoolGuard guard(PoolPolicy policy, List<Backend> backends) {
        var t = policy.timeouts();
        var r = policy.retries();
        var o = policy.outliers();
        return PoolGuard.builder(backends)
                .healthCheck(policy.healthCheck())
                .timeouts(t.connect(), t.response(), t.idle(), t.total())
                .retries(r.attempts(), r.budgetPercent(), r.minRetries())
                .outliers(o.consecutiveFailures(), o.baseEjectionTime(), o.maxEjectionTime(), o.maxEjectionPercent())
                .limits(policy.limits().maxConnections(), policy.limits().maxRequests())
                .build();
    }
}
