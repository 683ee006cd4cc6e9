package dev.sluice.health;

import static java.util.Objects.requireNonNull;

import dev.sluice.balance.Backend;
import dev.sluice.route.Pool;
import dev.sluice.route.Route;
import dev.sluice.route.RouteTable;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * ④ Active health checks: asks each backend of every pool with a {@code health_check}, on its own
 * schedule, whether it is healthy, and marks it {@linkplain Backend#markDown down} or up; the
 * balancers read the verdict. One per server; {@link #follow} keeps the checks in step with each
 * published route table.
 *
 * <p>A backend is checked once however many pools it is in: with the settings of the first pool, in
 * route order, that has a check. Its verdict is the backend's, so it holds in all of them.
 */
public final class ActiveHealthChecker implements AutoCloseable {

    private final EventLoopGroup loops;
    private final Class<? extends SocketChannel> channelType;
    /** The probe of each checked backend; guarded by {@code this}, as {@link #follow} runs on the control plane. */
    private final Map<Backend, HealthProbe> probes = new IdentityHashMap<>();
    private boolean closed;

    private ActiveHealthChecker(EventLoopGroup loops, Class<? extends SocketChannel> channelType) {
        this.loops = loops;
        this.channelType = channelType;
    }

    /** A checker whose checks run on {@code loops}, spread round robin; it checks nothing until {@link #follow}. */
    public static ActiveHealthChecker start(EventLoopGroup loops, Class<? extends SocketChannel> channelType) {
        return new ActiveHealthChecker(requireNonNull(loops, "loops"), requireNonNull(channelType, "channelType"));
    }

    /**
     * Checks what {@code table} asks for: starts checking backends new to a pool with a check, stops
     * checking those no longer in one, and restarts those whose check settings changed (their
     * verdict so far stays). A backend that is no longer checked at all is marked up: nothing says
     * it is down any more.
     */
    public synchronized void follow(RouteTable table) {
        requireNonNull(table, "table");
        if (closed) {
            return;
        }
        Map<Backend, Pool> wanted = checkedBackends(table);
        for (Iterator<Map.Entry<Backend, HealthProbe>> it = probes.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Backend, HealthProbe> e = it.next();
            Pool pool = wanted.get(e.getKey());
            if (pool == null || !e.getValue().runs(pool.name(), pool.guard().healthCheck())) {
                e.getValue().stop(pool == null);
                it.remove();
            }
        }
        wanted.forEach((backend, pool) -> probes.computeIfAbsent(backend, b -> HealthProbe.start(b, pool.name(),
                pool.guard().healthCheck(), loops.next(), channelType)));
    }

    /** How many backends are being checked now. */
    public synchronized int checked() {
        return probes.size();
    }

    /** Stops every check; backends keep their last verdict. */
    @Override
    public synchronized void close() {
        closed = true;
        probes.values().forEach(p -> p.stop(false));
        probes.clear();
    }

    /** Each backend of a pool with a check, with the first such pool in route order. */
    private static Map<Backend, Pool> checkedBackends(RouteTable table) {
        Map<Backend, Pool> first = new IdentityHashMap<>();
        for (Route route : table.routes()) {
            Pool pool = route.pool();
            if (pool.guard().healthCheck() != null) {
                pool.balancer().backends().forEach(b -> first.putIfAbsent(b, pool));
            }
        }
        return first;
    }
}
