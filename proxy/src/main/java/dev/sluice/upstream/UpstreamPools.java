package dev.sluice.upstream;

import static java.util.Objects.requireNonNull;

import dev.sluice.config.UpstreamSettings;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Predicate;

/** ⑤ One {@link UpstreamPool} per event loop, fixed when the server starts. */
public final class UpstreamPools {

    private final Map<EventExecutor, UpstreamPool> byLoop = new IdentityHashMap<>();

    public UpstreamPools(EventLoopGroup group, Class<? extends SocketChannel> channelType, ByteBufAllocator allocator,
            ChannelHandler backendInitializer, UpstreamSettings settings) {
        requireNonNull(settings, "settings");
        for (EventExecutor e : group) {
            UpstreamPool pool = new UpstreamPool((EventLoop) e, channelType, allocator, backendInitializer, settings);
            byLoop.put(e, pool);
            e.execute(pool::startSweeping);
        }
    }

    /** The pool of {@code loop}; call it from that loop only. */
    public UpstreamPool forLoop(EventLoop loop) {
        UpstreamPool pool = byLoop.get(loop);
        if (pool == null) {
            throw new IllegalArgumentException("not an event loop of this server: " + loop);
        }
        return pool;
    }

    /**
     * Closes idle connections to backends that {@code keep} rejects, each pool on its own loop; a
     * connection busy with a request closes when that request ends.
     */
    public void closeIdleExcept(Predicate<InetSocketAddress> keep) {
        byLoop.forEach((loop, pool) -> loop.execute(() -> pool.closeIdleExcept(keep)));
    }

    /** Upstream connections idle in every loop's pool now, for the metrics; any thread may ask. */
    public int idleConnections() {
        int n = 0;
        for (UpstreamPool pool : byLoop.values()) {
            n += pool.idleConnections();
        }
        return n;
    }

    /** Stops the idle sweepers and closes idle connections, each on its own loop. */
    public void closeAll() {
        byLoop.forEach((loop, pool) -> {
            if (!loop.isShuttingDown()) {
                loop.execute(() -> {
                    pool.stopSweeping();
                    pool.closeAll();
                });
            }
        });
    }
}
