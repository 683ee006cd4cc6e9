package dev.sluice;

import static java.util.Objects.requireNonNull;

import dev.sluice.accept.ConnectionGate;
import dev.sluice.accept.OverloadGuard;
import dev.sluice.accept.RateLimiter;
import dev.sluice.accept.Transport;
import dev.sluice.accesslog.RecordSink;
import dev.sluice.config.Config;
import dev.sluice.config.FrontDoor;
import dev.sluice.config.HostPort;
import dev.sluice.config.TransportChoice;
import dev.sluice.config.UpstreamSettings;
import dev.sluice.health.ActiveHealthChecker;
import dev.sluice.live.LiveTap;
import dev.sluice.metrics.ClientEvents;
import dev.sluice.relay.BackendInitializer;
import dev.sluice.relay.FrontendInitializer;
import dev.sluice.relay.Relay;
import dev.sluice.route.RouteTable;
import dev.sluice.route.RouteTableRef;
import dev.sluice.upstream.UpstreamPools;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's lifecycle: {@link #start()} opens the listener on its event loops, {@link #drain}
 * stops accepting and lets in-flight requests finish, {@link #close()} stops at once. Owns the
 * event loops, the listener, the per-loop upstream pools and the active health checks.
 *
 * <pre>{@code
 * try (SluiceServer server = SluiceServer.builder().config(config).build().start()) { ... }
 * }</pre>
 */
public final class SluiceServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SluiceServer.class);
    /**
     * The buffers of the data path: pooled, and able to tell the memory in use apart from the
     * memory kept for later, which the overload guard needs.
     */
    public static final PooledByteBufAllocator BUFFERS = PooledByteBufAllocator.DEFAULT;

    private final HostPort listen;
    private final Transport transport;
    private final int threads;
    private final UpstreamSettings upstream;
    private final RouteTableRef routes;
    private final FrontDoor front;
    private final RecordSink records;
    private final ClientEvents events;
    private final LiveTap live;
    private EventLoopGroup loops;
    private Channel listener;
    private ChannelGroup clients;
    private UpstreamPools pools;
    private ActiveHealthChecker checker;
    private OverloadGuard guard;
    private final AtomicBoolean draining = new AtomicBoolean();

    private SluiceServer(Builder b) {
        this.listen = b.listen;
        this.transport = Transport.choose(b.transport);
        this.threads = b.threads > 0 ? b.threads : Runtime.getRuntime().availableProcessors();
        this.upstream = b.upstream;
        this.routes = b.routes;
        this.front = b.front;
        this.records = b.records;
        this.events = b.events;
        this.live = b.live;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds the listener; returns once it accepts connections. */
    public SluiceServer start() {
        loops = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("sluice-loop", true),
                transport.ioHandlerFactory());
        clients = new DefaultChannelGroup("clients", loops.next());
        pools = new UpstreamPools(loops, transport.socketChannel(), BUFFERS, new BackendInitializer(), upstream);
        FrontDoor.Limits limits = front.limits();
        guard = OverloadGuard.forThisProcess(limits.overload(), BUFFERS);
        Relay relay = new Relay(routes, pools, clients, draining,
                new ConnectionGate(limits.maxConnections(), limits.maxConnectionsPerIp(), events),
                RateLimiter.of(limits.ratePerIp(), limits.burst()), guard, front.timeouts(), records, events, live);
        try {
            listener = new ServerBootstrap()
                    .group(loops)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.ALLOCATOR, BUFFERS)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new FrontendInitializer(relay))
                    .bind(listen.host(), listen.port())
                    .syncUninterruptibly()
                    .channel();
        } catch (Exception e) { // bind failures are IOExceptions, rethrown unchecked by sync
            loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            guard.close();
            throw new IllegalStateException("cannot listen on " + listen + ": " + e.getMessage(), e);
        }
        guard.watch(listener);
        checker = ActiveHealthChecker.start(loops, transport.socketChannel());
        checker.follow(routes.current());
        log.info("listening on {} ({} event loops, {}), route table version {}", address(), threads,
                transport.configName(), routes.current().version());
        return this;
    }

    /** The address the listener is bound to (the real port when configured with port 0). */
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** Where the current route table is published. */
    public RouteTableRef routes() {
        return routes;
    }

    /**
     * Makes {@code table} the one new requests use, and closes idle connections to backends it no
     * longer has; connections busy with a request close when it ends (the backend drains). Health
     * checks follow the table.
     */
    public void publish(RouteTable table) {
        routes.swap(table);
        if (pools != null) {
            pools.closeIdleExcept(table::serves);
        }
        if (checker != null) {
            checker.follow(table);
        }
    }

    /** Idle upstream connections kept in the pools of all event loops; any thread may ask. */
    public int idleUpstreamConnections() {
        return pools == null ? 0 : pools.idleConnections();
    }

    public Transport transport() {
        return transport;
    }

    /**
     * Stops accepting, lets requests in flight finish within {@code deadline} (idle connections
     * close now; busy ones after their current response), then stops.
     *
     * @return whether every connection finished before the deadline
     */
    public boolean drain(Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        draining.set(true);
        listener.close().syncUninterruptibly();
        clients.forEach(ch -> ch.pipeline().fireUserEventTriggered(Relay.DRAIN));
        boolean clean = true;
        while (!clients.isEmpty()) {
            if (System.nanoTime() - end >= 0) {
                log.warn("shutdown deadline reached with {} connections still open; closing them", clients.size());
                clean = false;
                break;
            }
            sleepQuietly(20);
        }
        close();
        return clean;
    }

    /** Closes everything at once. */
    @Override
    public void close() {
        if (loops == null || loops.isShuttingDown()) {
            return;
        }
        checker.close();
        guard.close();
        listener.close();
        clients.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        pools.closeAll();
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Options for a {@link SluiceServer}; {@link #config} sets them all from a config file. */
    public static final class Builder {
        private HostPort listen = new HostPort("127.0.0.1", 8080);
        private TransportChoice transport = TransportChoice.AUTO;
        private int threads;
        private UpstreamSettings upstream = UpstreamSettings.DEFAULTS;
        private RouteTableRef routes = new RouteTableRef(RouteTable.empty());
        private FrontDoor front = FrontDoor.DEFAULTS;
        private RecordSink records = RecordSink.NONE;
        private ClientEvents events = ClientEvents.NONE;
        private LiveTap live = new LiveTap();

        private Builder() {}

        /** Listener, transport, threads, upstream and client settings from {@code config}; routes are separate. */
        public Builder config(Config config) {
            requireNonNull(config, "config");
            return listen(config.listen()).transport(config.transport()).threads(config.threads())
                    .upstream(config.upstream()).front(config.front());
        }

        public Builder listen(HostPort listen) {
            this.listen = requireNonNull(listen, "listen");
            return this;
        }

        public Builder transport(TransportChoice transport) {
            this.transport = requireNonNull(transport, "transport");
            return this;
        }

        /** Event loops; 0 means one per core. */
        public Builder threads(int threads) {
            if (threads < 0) {
                throw new IllegalArgumentException("threads must be >= 0");
            }
            this.threads = threads;
            return this;
        }

        public Builder upstream(UpstreamSettings upstream) {
            this.upstream = requireNonNull(upstream, "upstream");
            return this;
        }

        /** Client timeouts, and what clients may hold and ask: connections open and requests a second. */
        public Builder front(FrontDoor front) {
            this.front = requireNonNull(front, "front");
            return this;
        }

        /** Where the record of each finished request goes (the access log, the metrics); none by default. */
        public Builder records(RecordSink records) {
            this.records = requireNonNull(records, "records");
            return this;
        }

        /** Whom to tell of client connections changing state and of refusals (the metrics); no one by default. */
        public Builder events(ClientEvents events) {
            this.events = requireNonNull(events, "events");
            return this;
        }

        /** Where live traffic is shown; by default a tap no one watches. */
        public Builder live(LiveTap live) {
            this.live = requireNonNull(live, "live");
            return this;
        }

        public Builder routes(RouteTableRef routes) {
            this.routes = requireNonNull(routes, "routes");
            return this;
        }

        public SluiceServer build() {
            return new SluiceServer(this);
        }
    }
}
