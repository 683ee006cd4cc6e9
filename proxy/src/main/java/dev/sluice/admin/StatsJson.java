package dev.sluice.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.metrics.ConnectionCounts;
import dev.sluice.metrics.PoolLoad;
import dev.sluice.metrics.SecondStats;
import java.util.List;

/** The dashboard's feed, {@code GET /api/stats}, as JSON (docs/metrics.md shows it). */
final class StatsJson {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private StatsJson() {}

    static ObjectNode stats(List<SecondStats> seconds, ConnectionCounts now, List<PoolLoad> pools, long tableVersion) {
        ObjectNode o = JSON.objectNode();
        o.put("interval_seconds", 1).put("route_table_version", tableVersion);
        ArrayNode list = o.putArray("seconds");
        for (SecondStats s : seconds) {
            ObjectNode second = list.addObject()
                    .put("time", s.time())
                    .put("requests", s.requests())
                    .put("status_4xx", s.status4xx())
                    .put("status_5xx", s.status5xx());
            millis(second, "p50_ms", s.p50Millis());
            millis(second, "p99_ms", s.p99Millis());
            second.set("connections", connections(s.connections()));
        }
        o.set("connections", connections(now));
        ArrayNode poolList = o.putArray("pools");
        for (PoolLoad p : pools) {
            ArrayNode backends = poolList.addObject().put("name", p.name()).put("balance", p.balance()).putArray("backends");
            p.backends().forEach(b -> backends.addObject()
                    .put("address", b.address())
                    .put("state", b.state())
                    .put("in_flight", b.inFlight())
                    .put("connections", b.connections())
                    .put("requests", b.requests()));
        }
        return o;
    }

    private static ObjectNode connections(ConnectionCounts c) {
        return JSON.objectNode().put("new", c.fresh()).put("active", c.active()).put("idle", c.idle());
    }

    /** Milliseconds to the microsecond; {@code null} for a second with no requests. */
    private static void millis(ObjectNode o, String key, double millis) {
        if (Double.isNaN(millis)) {
            o.putNull(key);
        } else {
            o.put(key, Math.round(millis * 1000) / 1000.0);
        }
    }
}
