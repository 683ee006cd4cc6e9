package dev.sluice.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.config.AdminSettings;
import dev.sluice.config.BackendConfig;
import dev.sluice.config.Config;
import dev.sluice.config.PoolConfig;
import dev.sluice.config.RouteConfig;
import dev.sluice.config.UpstreamSettings;
import java.time.Duration;
import java.util.List;

/**
 * A configuration as JSON in the config file's shape and with its key names (docs/config.md), so
 * that what the API shows reads like the file: durations as {@code "30s"}, addresses as
 * {@code "host:port"}, keys left out where the file would leave them out.
 */
final class ConfigJson {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ConfigJson() {}

    static ObjectNode config(Config c) {
        ObjectNode o = JSON.objectNode()
                .put("listen", c.listen().toString())
                .put("transport", c.transport().configName())
                .put("threads", c.threads())
                .put("shutdown_timeout", duration(c.shutdownTimeout()));
        UpstreamSettings u = c.upstream();
        o.putObject("upstream")
                .put("connect_timeout", duration(u.connectTimeout()))
                .put("idle_timeout", duration(u.idleTimeout()))
                .put("max_idle_per_backend", u.maxIdlePerBackend());
        ObjectNode pools = o.putObject("pools");
        c.pools().forEach((name, pool) -> pools.set(name, pool(pool)));
        o.set("routes", routes(c.routes()));
        AdminSettings a = c.admin();
        if (a.listen() != null) {
            o.put("admin", a.listen().toString());
        }
        if (a.tokenFile() != null) {
            o.put("admin_token_file", a.tokenFile().toString()); // where the token is, never the token
        }
        if (a.stateDir() != null) {
            o.put("state_dir", a.stateDir().toString());
        }
        return o;
    }

    static ObjectNode pool(PoolConfig p) {
        ObjectNode o = JSON.objectNode().put("balance", p.balance().configName()).put("hash_epsilon", p.hashEpsilon());
        ArrayNode backends = o.putArray("backends");
        p.backends().forEach(b -> backends.add(backend(b)));
        return o;
    }

    static ObjectNode backend(BackendConfig b) {
        return JSON.objectNode().put("address", b.address().toString()).put("weight", b.weight());
    }

    /** Routes as a list that {@code PUT /api/routes} takes back unchanged; no host means any host. */
    static ArrayNode routes(List<RouteConfig> routes) {
        ArrayNode list = JSON.arrayNode();
        for (RouteConfig r : routes) {
            ObjectNode o = list.addObject();
            if (r.host() != null) {
                o.put("host", r.host());
            }
            o.put("path", r.path()).put("pool", r.pool());
            if (r.maxBody() > 0) {
                o.put("max_body", r.maxBody());
            }
        }
        return list;
    }

    /** {@code d} in the largest config unit that states it exactly: 30s, 2m, 1500ms. */
    static String duration(Duration d) {
        long ms = d.toMillis();
        if (ms != 0 && ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms != 0 && ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
