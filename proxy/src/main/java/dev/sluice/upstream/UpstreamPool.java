package dev.sluice.upstream;

import static java.util.Objects.requireNonNull;

import dev.sluice.config.UpstreamSettings;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.resolver.NoopAddressResolverGroup;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * ⑤ The keep-alive connections to backends of one event loop. Only that loop's thread touches
 * it, so it needs no locks, and a request and the upstream connection serving it never cross
 * threads. Connections are reused newest first; those idle longer than the idle timeout, or above
 * the per-backend limit, are closed. Keyed by socket address, so a pool outlives route changes.
 */
public final class UpstreamPool {

    private record Idle(Channel channel, long sinceNanos) {}

    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final long idleTimeoutNanos;
    private final int maxIdlePerBackend;
    private final Map<InetSocketAddress, ArrayDeque<Idle>> idle = new HashMap<>();
    /** The connections in {@link #idle}, for the metrics to read from another thread. */
    private final AtomicInteger idleCount = new AtomicInteger();
    private ScheduledFuture<?> sweeper;

    UpstreamPool(EventLoop loop, Class<? extends SocketChannel> channelType, ByteBufAllocator allocator,
            ChannelHandler initializer, UpstreamSettings settings) {
        this.loop = requireNonNull(loop, "loop");
        this.idleTimeoutNanos = settings.idleTimeout().toNanos();
        this.maxIdlePerBackend = settings.maxIdlePerBackend();
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(channelType)
                // Addresses are resolved by the control plane: never look up names on an event loop.
                .resolver(NoopAddressResolverGroup.INSTANCE)
                .option(ChannelOption.ALLOCATOR, allocator)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                        (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()))
                .handler(initializer);
    }

    void startSweeping() {
        long every = Math.max(TimeUnit.MILLISECONDS.toNanos(50), idleTimeoutNanos / 4);
        sweeper = loop.scheduleAtFixedRate(this::closeExpired, every, every, TimeUnit.NANOSECONDS);
    }

    void stopSweeping() {
        if (sweeper != null) {
            sweeper.cancel(false);
        }
    }

    /** An idle open connection to {@code address}, or {@code null} when there is none. */
    public Channel acquire(InetSocketAddress address) {
        assert loop.inEventLoop();
        ArrayDeque<Idle> conns = idle.get(address);
        if (conns == null) {
            return null;
        }
        Idle c;
        while ((c = conns.pollLast()) != null) {
            idleCount.decrementAndGet();
            if (c.channel().isActive()) {
                return c.channel();
            }
        }
        return null;
    }

    /**
     * Opens a new connection to {@code address} on this loop, within {@code timeout} ({@code null}:
     * the server's connect timeout).
     */
    public ChannelFuture connect(InetSocketAddress address, Duration timeout) {
        assert loop.inEventLoop();
        if (timeout == null) {
            return bootstrap.connect(address);
        }
        return bootstrap.clone()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .connect(address);
    }

    /** Takes back a connection whose last exchange ended cleanly; it may serve another request. */
    public void release(Channel channel, InetSocketAddress address) {
        assert loop.inEventLoop();
        if (!channel.isActive()) {
            return;
        }
        ArrayDeque<Idle> conns = idle.computeIfAbsent(address, a -> new ArrayDeque<>());
        if (conns.size() >= maxIdlePerBackend) {
            channel.close();
            return;
        }
        conns.addLast(new Idle(channel, System.nanoTime()));
        idleCount.incrementAndGet();
    }

    /** Closes the idle connections to every backend {@code keep} rejects: backends that were removed. */
    void closeIdleExcept(Predicate<InetSocketAddress> keep) {
        assert loop.inEventLoop();
        for (Iterator<Map.Entry<InetSocketAddress, ArrayDeque<Idle>>> it = idle.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<InetSocketAddress, ArrayDeque<Idle>> e = it.next();
            if (!keep.test(e.getKey())) {
                idleCount.addAndGet(-e.getValue().size());
                e.getValue().forEach(c -> c.channel().close());
                it.remove();
            }
        }
    }

    /** Closes every idle connection (on shutdown). */
    void closeAll() {
        for (ArrayDeque<Idle> conns : idle.values()) {
            idleCount.addAndGet(-conns.size());
            conns.forEach(c -> c.channel().close());
            conns.clear();
        }
    }

    /** Connections idle in this pool now; any thread may ask. */
    int idleConnections() {
        return idleCount.get();
    }

    private void closeExpired() {
        long oldest = System.nanoTime() - idleTimeoutNanos;
        for (Iterator<ArrayDeque<Idle>> it = idle.values().iterator(); it.hasNext(); ) {
            ArrayDeque<Idle> conns = it.next();
            // Newest last: expired connections are at the front.
            Idle c;
            while ((c = conns.peekFirst()) != null && (c.sinceNanos() - oldest < 0 || !c.channel().isActive())) {
                conns.pollFirst().channel().close();
                idleCount.decrementAndGet();
            }
            if (conns.isEmpty()) {
                it.remove();
            }
        }
    }
}
