package dev.sluice.metrics;

import static java.util.Objects.requireNonNull;

import dev.sluice.accesslog.AccessRecord;
import dev.sluice.accesslog.RecordSink;
import dev.sluice.balance.Backend;
import dev.sluice.route.Pool;
import dev.sluice.route.Route;
import dev.sluice.route.RouteTable;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ⑦ The proxy's metrics: what the data path reports — each finished request ({@link RecordSink}),
 * client connections by state and refusals ({@link ClientEvents}) — and what is read when asked:
 * backends' health and load from the published route table, buffer memory, file descriptors, the
 * JVM. Served as Prometheus text ({@link #writeText}) and, for the dashboard, as the last
 * {@value #HISTORY_SECONDS} seconds at one-second resolution ({@link #history}) and the pools'
 * load now ({@link #pools}). Every metric is in docs/metrics.md.
 *
 * <p>What a record costs its event loop: three hash-map reads (route → pool → backend) for its
 * cached data points, no allocation once the triple and the host have been seen, and about ten
 * {@link LongAdder} adds: requests, latency histogram (a bucket search over 15 bounds), upstream and
 * client bytes, termination cause, the dashboard's second. The latency histogram's data point may
 * allocate one short-lived lambda, which the JIT normally removes.
 *
 * <p>Every label set is bounded: at most {@code maxSeries} (route, pool, backend) triples and
 * {@code maxHosts} hosts, the rest under {@code other}; cause words are a known set plus a few
 * learned ones. Series of backends and pools that left the route table are dropped once a minute.
 * A daemon thread rolls the dashboard's second; {@link #close()} stops it.
 */
public final class ProxyMetrics implements RecordSink, ClientEvents, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProxyMetrics.class);

    public static final int DEFAULT_MAX_HOSTS = 10_000;
    public static final int DEFAULT_MAX_SERIES = 10_000;
    /** The content type of {@link #writeText}: the Prometheus text format 0.0.4. */
    public static final String TEXT_CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;
    static final int HISTORY_SECONDS = 300;
    /** The front door's refusal causes (docs/limits.md, docs/security.md): always exposed, 0 until counted. */
    static final List<String> REJECTION_CAUSES = List.of("client_connection_limit", "client_ip_connection_limit",
            "client_rate_limited", "client_bad_request", "client_bad_host", "client_bad_target", "client_bad_body",
            "client_head_too_large", "client_header_timeout", "client_body_timeout", "client_write_timeout",
            "client_body_too_large", "overloaded");
    private static final int LEARNED_REJECTION_CAUSES = 16;
    private static final int LEARNED_TERMINATIONS = 64;
    /** From 0.5 ms to 30 s: a local hop and a slow upload both land inside. */
    private static final double[] LATENCY_BUCKETS =
            {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
    private static final int PRUNE_EVERY_TICKS = 60;

    private final Supplier<RouteTable> routes;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter text = PrometheusTextFormatWriter.create();
    private final Counter requests;
    private final Histogram latency;
    private final Counter upstreamSent;
    private final Counter upstreamReceived;
    private final SeriesTable series;
    private final HostTable hosts;
    private final WordCounts terminations = new WordCounts(List.of("ok"), LEARNED_TERMINATIONS);
    private final WordCounts rejections = new WordCounts(REJECTION_CAUSES, LEARNED_REJECTION_CAUSES);
    private final ConnectionStates connections = new ConnectionStates();
    private final LongAdder finished = new LongAdder();
    private final LongAdder status4xx = new LongAdder();
    private final LongAdder status5xx = new LongAdder();
    private final LatencyWindow window;
    private final StatsHistory history = new StatsHistory(HISTORY_SECONDS);
    private volatile LongSupplier accessLogDropped;
    private volatile IntSupplier upstreamIdle;
    private final ScheduledExecutorService ticker;
    // The ticker's own: totals at the last tick.
    private long lastTime;
    private long lastFinished;
    private long last4xx;
    private long last5xx;
    private long ticks;

    private ProxyMetrics(Builder b) {
        this.routes = b.routes;
        this.window = new LatencyWindow(Runtime.getRuntime().availableProcessors());
        requests = Counter.builder().name("sluice_requests_total")
                .help("Finished requests by route, pool, backend that answered, and status class (none: no status was sent)")
                .labelNames("route", "pool", "backend", "status_class").withoutExemplars().register(registry);
        latency = Histogram.builder().name("sluice_request_duration_seconds")
                .help("From a request's first byte to its response's last byte written, by pool")
                .labelNames("pool").classicOnly().classicUpperBounds(LATENCY_BUCKETS).withoutExemplars()
                .register(registry);
        upstreamSent = Counter.builder().name("sluice_upstream_sent_bytes_total")
                .help("Wire bytes written to backends (every attempt), by pool and backend")
                .labelNames("pool", "backend").withoutExemplars().register(registry);
        upstreamReceived = Counter.builder().name("sluice_upstream_received_bytes_total")
                .help("Wire bytes read from backends (the attempt that answered), by pool and backend")
                .labelNames("pool", "backend").withoutExemplars().register(registry);
        series = new SeriesTable(b.maxSeries, (route, pool, backend) -> new RequestSeries(route, pool, backend,
                requests, latency.labelValues(pool), upstreamSent.labelValues(pool, backend),
                upstreamReceived.labelValues(pool, backend)));
        hosts = new HostTable(b.maxHosts,
                Counter.builder().name("sluice_client_received_bytes_total")
                        .help("Wire bytes received from clients (head and body), by requested host; other past the host limit")
                        .labelNames("host").withoutExemplars().register(registry),
                Counter.builder().name("sluice_client_sent_bytes_total")
                        .help("Wire bytes the kernel took for clients (head and body), by requested host; other past the host limit")
                        .labelNames("host").withoutExemplars().register(registry));
        registerCauses();
        registerConnections();
        registerBackends();
        registerBuffers(b.allocator);
        registerSuppliedCounts();
        JvmMemoryMetrics.builder().register(registry);
        JvmBufferPoolMetrics.builder().register(registry);
        JvmGarbageCollectorMetrics.builder().register(registry);
        ProcessMetrics.builder().register(registry); // open and max file descriptors, CPU, resident memory
        JvmRuntimeInfoMetric.builder().register(registry);
        ticker = b.ticking ? startTicker() : null;
    }

    /** Metrics over the route table {@code routes} gives (the published one: {@code ControlPlane::table}). */
    public static Builder builder(Supplier<RouteTable> routes) {
        return new Builder(requireNonNull(routes, "routes"));
    }

    // ---- what the data path calls, on its event loops

    @Override
    public void accept(AccessRecord r) {
        RequestSeries s = series.get(r.route(), r.pool(), r.backend());
        int statusClass = RequestSeries.statusClass(r.status());
        s.requests(statusClass).inc();
        finished.increment();
        if (statusClass == RequestSeries.CLIENT_ERROR) {
            status4xx.increment();
        } else if (statusClass == RequestSeries.SERVER_ERROR) {
            status5xx.increment();
        }
        if (r.status() != 0 && r.totalMicros() >= 0) {
            s.latency.observe(r.totalMicros() / 1e6);
            window.record(r.totalMicros());
        }
        if (r.upstreamBytesOut() > 0) {
            s.upstreamSent.inc(r.upstreamBytesOut());
        }
        if (r.upstreamBytesIn() > 0) {
            s.upstreamReceived.inc(r.upstreamBytesIn());
        }
        // A request no route took is nobody's to bill, and must not let random Host headers use up the host limit.
        HostTable.HostBytes bytes = hosts.get(r.route().equals(AccessRecord.NONE) ? AccessRecord.NONE : r.host());
        if (r.bytesIn() > 0) {
            bytes.received().inc(r.bytesIn());
        }
        if (r.bytesOut() > 0) {
            bytes.sent().inc(r.bytesOut());
        }
        terminations.count(r.termination());
    }

    @Override
    public ConnectionTracker connectionOpened() {
        return connections.opened();
    }

    @Override
    public void rejected(String cause) {
        rejections.count(cause);
    }

    // ---- counts owned elsewhere, read at scrape time

    /** Where {@code sluice_access_log_dropped_records_total} comes from: the access log's count of records it dropped. */
    public void accessLogDropped(LongSupplier dropped) {
        this.accessLogDropped = requireNonNull(dropped, "dropped");
    }

    /** Where {@code sluice_upstream_idle_connections} comes from: {@code UpstreamPools::idleConnections}. */
    public void upstreamIdleConnections(IntSupplier idle) {
        this.upstreamIdle = requireNonNull(idle, "idle");
    }

    // ---- what the admin listener reads

    /** Every metric in the Prometheus text format ({@link #TEXT_CONTENT_TYPE}). */
    public void writeText(OutputStream out) throws IOException {
        text.write(out, registry.scrape());
    }

    /** The seconds kept that ended after {@code since} (epoch seconds; 0 for all), oldest first. */
    public List<SecondStats> history(long since) {
        return history.since(since);
    }

    /** Client connections open now, by state. */
    public ConnectionCounts connections() {
        return connections.now();
    }

    /** The pools of the current route table, in route order, with their backends' health and load. */
    public List<PoolLoad> pools() {
        Map<String, Long> answered = new HashMap<>();
        series.forEach(s -> answered.merge(s.pool + '\n' + s.backend, s.requestCount(), Long::sum));
        List<PoolLoad> pools = new ArrayList<>();
        for (Pool pool : poolsOf(routes.get())) {
            List<PoolLoad.BackendLoad> backends = new ArrayList<>();
            for (Backend b : pool.balancer().backends()) {
                String address = b.endpoint().authority();
                backends.add(new PoolLoad.BackendLoad(address, b.state().configName(), b.inFlight(), b.connections(),
                        answered.getOrDefault(pool.name() + '\n' + address, 0L)));
            }
            pools.add(new PoolLoad(pool.name(), pool.balance().configName(), backends));
        }
        return pools;
    }

    /** Stops the ticker. */
    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
    }

    // ---- the ticker

    private ScheduledExecutorService startTicker() {
        ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(
                new DefaultThreadFactory("sluice-metrics", true));
        long toNextSecond = 1000 - System.currentTimeMillis() % 1000;
        t.scheduleAtFixedRate(this::tickNow, toNextSecond, 1000, TimeUnit.MILLISECONDS);
        return t;
    }

    private void tickNow() {
        try {
            tick(Math.round(System.currentTimeMillis() / 1000.0));
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: log it and go on with the next second.
            log.error("metrics_tick_failed", e);
        }
    }

    /** Ends the second that ends at {@code time} (epoch seconds): the ticker's thread, or a test's. */
    void tick(long time) {
        time = Math.max(time, lastTime + 1); // a late tick must not give two seconds one time
        org.HdrHistogram.Histogram latencies = window.roll();
        long total = finished.sum();
        long c4 = status4xx.sum();
        long c5 = status5xx.sum();
        boolean any = latencies.getTotalCount() > 0;
        history.add(new SecondStats(time, total - lastFinished, c4 - last4xx, c5 - last5xx,
                any ? latencies.getValueAtPercentile(50) / 1000.0 : Double.NaN,
                any ? latencies.getValueAtPercentile(99) / 1000.0 : Double.NaN,
                connections.now()));
        lastTime = time;
        lastFinished = total;
        last4xx = c4;
        last5xx = c5;
        if (++ticks % PRUNE_EVERY_TICKS == 0) {
            prune(routes.get());
        }
    }

    /** Drops the series of pools and backends {@code table} no longer has, so changes do not pile them up. */
    void prune(RouteTable table) {
        Map<String, Set<String>> live = new HashMap<>();
        for (Pool pool : poolsOf(table)) {
            Set<String> backends = new HashSet<>();
            pool.balancer().backends().forEach(b -> backends.add(b.endpoint().authority()));
            live.put(pool.name(), backends);
        }
        series.removeIf(s -> stale(live, s.pool, s.backend));
        requests.removeIf(labels -> stale(live, labels.get(1), labels.get(2)));
        upstreamSent.removeIf(labels -> stale(live, labels.get(0), labels.get(1)));
        upstreamReceived.removeIf(labels -> stale(live, labels.get(0), labels.get(1)));
        latency.removeIf(labels -> stale(live, labels.get(0), AccessRecord.NONE));
    }

    private static boolean stale(Map<String, Set<String>> live, String pool, String backend) {
        if (pool.equals(AccessRecord.NONE) || pool.equals(WordCounts.OTHER)) {
            return false;
        }
        Set<String> backends = live.get(pool);
        return backends == null || !(backend.equals(AccessRecord.NONE) || backend.equals(WordCounts.OTHER)
                || backends.contains(backend));
    }

    private static Iterable<Pool> poolsOf(RouteTable table) {
        Map<String, Pool> byName = new LinkedHashMap<>();
        for (Route r : table.routes()) {
            byName.putIfAbsent(r.pool().name(), r.pool());
        }
        return byName.values();
    }

    // ---- metrics read when scraped

    private void registerCauses() {
        CounterWithCallback.builder().name("sluice_terminations_total")
                .help("Finished requests by how they ended: ok, or the cause word (client_abort, upstream_timeout, ...)")
                .labelNames("cause").callback(cb -> terminations.forEach((word, n) -> cb.call(n, word)))
                .register(registry);
        CounterWithCallback.builder().name("sluice_rejections_total")
                .help("Connections and requests the front door refused, by cause word")
                .labelNames("cause").callback(cb -> rejections.forEach((word, n) -> cb.call(n, word)))
                .register(registry);
    }

    private void registerConnections() {
        GaugeWithCallback.builder().name("sluice_client_connections")
                .help("Client connections open now by state: new (no request yet), active (in a request), idle (between requests)")
                .labelNames("state").callback(cb -> {
                    for (ConnectionStates.State s : ConnectionStates.State.values()) {
                        cb.call(connections.open(s), s.label());
                    }
                }).register(registry);
        CounterWithCallback.builder().name("sluice_client_connections_opened_total")
                .help("Client connections admitted")
                .callback(cb -> cb.call(connections.openedTotal())).register(registry);
        CounterWithCallback.builder().name("sluice_client_connections_closed_total")
                .help("Client connections closed, by the state they were in")
                .labelNames("state").callback(cb -> {
                    for (ConnectionStates.State s : ConnectionStates.State.values()) {
                        cb.call(connections.closedFrom(s), s.label());
                    }
                }).register(registry);
    }

    private void registerBackends() {
        GaugeWithCallback.builder().name("sluice_backend_state")
                .help("1 for the state each backend of each pool is in (up, down: active check, ejected: outlier detection), 0 for the others")
                .labelNames("pool", "backend", "state").callback(cb -> forEachBackend((pool, b) -> {
                    Backend.State now = b.state();
                    for (Backend.State s : Backend.State.values()) {
                        cb.call(s == now ? 1 : 0, pool.name(), b.endpoint().authority(), s.configName());
                    }
                })).register(registry);
        GaugeWithCallback.builder().name("sluice_backend_in_flight_requests")
                .help("Requests sent to each backend and not yet finished")
                .labelNames("pool", "backend")
                .callback(cb -> forEachBackend((pool, b) -> cb.call(b.inFlight(), pool.name(), b.endpoint().authority())))
                .register(registry);
        GaugeWithCallback.builder().name("sluice_backend_connections")
                .help("Open upstream connections to each backend, busy or idle")
                .labelNames("pool", "backend")
                .callback(cb -> forEachBackend((pool, b) -> cb.call(b.connections(), pool.name(), b.endpoint().authority())))
                .register(registry);
    }

    private void forEachBackend(BiConsumer<Pool, Backend> action) {
        for (Pool pool : poolsOf(routes.get())) {
            pool.balancer().backends().forEach(b -> action.accept(pool, b));
        }
    }

    private void registerBuffers(ByteBufAllocator allocator) {
        if (allocator instanceof ByteBufAllocatorMetricProvider provider) {
            GaugeWithCallback.builder().name("sluice_buffer_allocator_reserved_bytes")
                    .help("Memory the data path's buffer allocator holds (in use by buffers or kept for reuse), direct and heap")
                    .labelNames("memory").callback(cb -> {
                        cb.call(provider.metric().usedDirectMemory(), "direct");
                        cb.call(provider.metric().usedHeapMemory(), "heap");
                    }).register(registry);
        }
        if (allocator instanceof PooledByteBufAllocator pooled) {
            GaugeWithCallback.builder().name("sluice_buffer_allocator_pinned_bytes")
                    .help("Memory of the pooled allocator's arenas taken by live buffers, direct and heap")
                    .labelNames("memory").callback(cb -> {
                        cb.call(pooled.pinnedDirectMemory(), "direct");
                        cb.call(pooled.pinnedHeapMemory(), "heap");
                    }).register(registry);
        }
    }

    private void registerSuppliedCounts() {
        CounterWithCallback.builder().name("sluice_access_log_dropped_records_total")
                .help("Access log records dropped because the log could not keep up")
                .callback(cb -> {
                    LongSupplier dropped = accessLogDropped;
                    if (dropped != null) {
                        cb.call(dropped.getAsLong());
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("sluice_upstream_idle_connections")
                .help("Upstream connections idle in the keep-alive pools, all event loops and backends")
                .callback(cb -> {
                    IntSupplier idle = upstreamIdle;
                    if (idle != null) {
                        cb.call(idle.getAsInt());
                    }
                }).register(registry);
    }

    /** Options for {@link ProxyMetrics}. */
    public static final class Builder {
        private final Supplier<RouteTable> routes;
        private ByteBufAllocator allocator = ByteBufAllocator.DEFAULT;
        private int maxHosts = DEFAULT_MAX_HOSTS;
        private int maxSeries = DEFAULT_MAX_SERIES;
        private boolean ticking = true;

        private Builder(Supplier<RouteTable> routes) {
            this.routes = routes;
        }

        /** The allocator the data path's channels use, whose memory is reported; Netty's default by default. */
        public Builder allocator(ByteBufAllocator allocator) {
            this.allocator = requireNonNull(allocator, "allocator");
            return this;
        }

        /** Hosts whose bytes are counted apart; the rest count under {@code host="other"}. */
        public Builder maxHosts(int maxHosts) {
            if (maxHosts < 1) {
                throw new IllegalArgumentException("maxHosts must be at least 1, got " + maxHosts);
            }
            this.maxHosts = maxHosts;
            return this;
        }

        /** (route, pool, backend) triples counted apart; the rest count under {@code other}. */
        public Builder maxSeries(int maxSeries) {
            if (maxSeries < 1) {
                throw new IllegalArgumentException("maxSeries must be at least 1, got " + maxSeries);
            }
            this.maxSeries = maxSeries;
            return this;
        }

        /** No ticker thread: a test rolls the seconds with {@link ProxyMetrics#tick}. */
        Builder manualTicks() {
            this.ticking = false;
            return this;
        }

        /** Registers the metrics and starts the ticker. */
        public ProxyMetrics start() {
            return new ProxyMetrics(this);
        }
    }
}
