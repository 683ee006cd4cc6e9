package dev.sluice.control;

import dev.sluice.config.Config;
import dev.sluice.config.DynamicState;
import dev.sluice.config.PoolConfig;
import dev.sluice.config.RouteConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies the {@link DynamicState} over the file's {@link Config}: the effective config. Precedence:
 * a pool changed through the API keeps its API backend list (balance and the rest still come from
 * the file); a route list set through the API replaces the file's whole list.
 */
public final class ConfigOverlay {

    private ConfigOverlay() {}

    /**
     * The effective config.
     *
     * @throws ChangeRejected when the state no longer fits the file: it names a pool the file lacks
     */
    public static Config apply(Config file, DynamicState state) throws ChangeRejected {
        List<String> problems = new ArrayList<>();
        Map<String, PoolConfig> pools = new LinkedHashMap<>(file.pools());
        state.pools().forEach((name, backends) -> {
            PoolConfig pool = pools.get(name);
            if (pool == null) {
                problems.add("backends were changed through the API for pool \"" + name
                        + "\", which the config file does not define");
            } else {
                pools.put(name, pool.withBackends(backends));
            }
        });
        List<RouteConfig> routes = state.routes() == null ? file.routes() : state.routes();
        if (state.routes() != null) {
            for (int i = 0; i < routes.size(); i++) {
                if (!pools.containsKey(routes.get(i).pool())) {
                    problems.add("route " + i + " (set through the API) names pool \"" + routes.get(i).pool()
                            + "\", which the config file does not define");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ChangeRejected(409, String.join("; ", problems));
        }
        return file.with(pools, routes);
    }
}
