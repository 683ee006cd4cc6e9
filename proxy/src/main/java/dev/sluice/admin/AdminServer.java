package dev.sluice.admin;

import static java.util.Objects.requireNonNull;

import dev.sluice.config.HostPort;
import dev.sluice.control.ControlPlane;
import dev.sluice.live.LiveTap;
import dev.sluice.metrics.ProxyMetrics;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin listener: the JSON API over the {@link ControlPlane} (docs/admin-api.md), the
 * {@link ProxyMetrics} for Prometheus ({@code /metrics}) and the live dashboard
 * ({@code /dashboard}, docs/dashboard.md), on its own event loop, apart from the proxy's. Changes run one at a time on a control-plane thread, because
 * they block until durable; when {@value #MAX_WAITING_CHANGES} already wait, more are refused with
 * 503 rather than queued without bound.
 *
 * <pre>{@code
 * try (AdminServer admin = AdminServer.start(settings.listen(), control, token, metrics)) { ... }
 * }</pre>
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

    /** The largest request body taken (413 beyond): a route list of thousands of routes fits. */
    static final int MAX_BODY = 1024 * 1024;
    static final int MAX_WAITING_CHANGES = 64;
    /** An admin connection with no request for this long is closed. */
    private static final int IDLE_SECONDS = 60;

    private final EventLoopGroup loop;
    private final ThreadPoolExecutor changes;
    private final Channel listener;

    private AdminServer(EventLoopGroup loop, ThreadPoolExecutor changes, Channel listener) {
        this.loop = loop;
        this.changes = changes;
        this.listener = listener;
    }

    /**
     * Starts the admin API on {@code listen}; returns once it accepts connections.
     *
     * @param token the bearer token changes need, or {@code null} when none is configured: then
     *     reads work and every change is refused with 403
     * @param metrics what {@code /metrics}, {@code /api/stats} and the dashboard show
     * @param live the proxy's live traffic, which {@code /api/live} streams
     * @throws IllegalStateException when it cannot listen there, saying why
     */
    public static AdminServer start(HostPort listen, ControlPlane control, String token, ProxyMetrics metrics,
            LiveTap live) {
        requireNonNull(listen, "listen");
        requireNonNull(control, "control");
        requireNonNull(metrics, "metrics");
        requireNonNull(live, "live");
        if (token != null && token.isBlank()) {
            throw new IllegalArgumentException("the admin token is blank; pass null for no token");
        }
        AdminApi api = new AdminApi(control, metrics, DashboardAssets.load());
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("sluice-admin", true),
                NioIoHandler.newFactory());
        ThreadPoolExecutor changes = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(MAX_WAITING_CHANGES), new DefaultThreadFactory("sluice-admin-changes", true));
        Channel listener;
        try {
            listener = new ServerBootstrap()
                    .group(loop)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(
                                    new IdleStateHandler(0, 0, IDLE_SECONDS),
                                    new HttpServerCodec(),
                                    new AdminAggregator(MAX_BODY),
                                    new AdminHandler(api, token, changes, MAX_WAITING_CHANGES, live));
                        }
                    })
                    .bind(listen.host(), listen.port())
                    .syncUninterruptibly()
                    .channel();
        } catch (Exception e) { // bind failures are IOExceptions, rethrown unchecked by sync
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            changes.shutdownNow();
            throw new IllegalStateException("cannot listen for the admin API on " + listen + ": " + e.getMessage(), e);
        }
        AdminServer server = new AdminServer(loop, changes, listener);
        log.info("admin API listening on {} ({})", server.address(), token != null
                ? "changes need the bearer token" : "read-only: no admin token is configured");
        return server;
    }

    /** The address the listener is bound to (the real port when configured with port 0). */
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** Stops listening and closes every admin connection; a change already running finishes first. */
    @Override
    public void close() {
        if (loop.isShuttingDown()) {
            return;
        }
        listener.close().syncUninterruptibly();
        changes.shutdown();
        try {
            changes.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
