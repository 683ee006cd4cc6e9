package dev.sluice.relay;

import static java.util.Objects.requireNonNull;

import dev.sluice.accept.ConnectionGate;
import dev.sluice.accept.OverloadGuard;
import dev.sluice.accesslog.RecordSink;
import dev.sluice.accept.RateLimiter;
import dev.sluice.config.FrontDoor;
import dev.sluice.live.LiveTap;
import dev.sluice.metrics.ClientEvents;
import dev.sluice.route.RouteTableRef;
import dev.sluice.upstream.UpstreamPools;
import io.netty.channel.group.ChannelGroup;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * ⑥ What every client connection of one server shares: the route table, the per-loop upstream
 * pools, the set of open client connections, whether the server drains (for shutdown), the gate
 * that admits connections, the limiter of each client's request rate, the overload guard, and where the record of
 * each finished request goes, whom to tell of client connections and refusals, and who watches live.
 */
public record Relay(RouteTableRef routes, UpstreamPools pools, ChannelGroup clients, AtomicBoolean draining,
        ConnectionGate gate, RateLimiter limiter, OverloadGuard guard,
        FrontDoor.Timeouts clientTimeouts, RecordSink records, ClientEvents events, LiveTap live) {

    /** Fired on each client connection when the server drains: finish what is in flight, then close. */
    public static final Object DRAIN = new Object() {
        @Override
        public String toString() {
            return "DRAIN";
        }
    };

    public Relay {
        requireNonNull(routes, "routes");
        requireNonNull(pools, "pools");
        requireNonNull(clients, "clients");
        requireNonNull(draining, "draining");
        requireNonNull(gate, "gate");
        requireNonNull(limiter, "limiter");
        requireNonNull(guard, "guard");
        requireNonNull(clientTimeouts, "clientTimeouts");
        requireNonNull(records, "records");
        requireNonNull(events, "events");
        requireNonNull(live, "live");
    }
}
