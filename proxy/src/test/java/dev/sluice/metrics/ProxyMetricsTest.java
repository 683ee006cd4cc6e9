package dev.sluice.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.accesslog.AccessRecord;
import dev.sluice.balance.Backend;
import dev.sluice.route.RouteTable;
import dev.sluice.testing.PrometheusText;
import dev.sluice.testing.PrometheusText.Exposition;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The metrics as a scrape shows them, fed records and events as the data path feeds them. */
class ProxyMetricsTest {

    private static final Backend B1 = Records.backend(9001);
    private static final Backend B2 = Records.backend(9002);

    private final AtomicReference<RouteTable> table = new AtomicReference<>(Records.table(B1, B2));
    private ProxyMetrics metrics = ProxyMetrics.builder(table::get).manualTicks().start();

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void aRecordCountsItsRequestLatencyAndBytes() throws IOException {
        metrics.accept(Records.ok(3_000));
        metrics.accept(Records.ok(40_000));
        metrics.accept(Records.request("web.example/", "web", "127.0.0.1:9002", "web.example", 503, 100, 50, 200));

        Exposition e = scrape();

        assertThat(e.type("sluice_requests_total")).isEqualTo("counter");
        assertThat(e.value("sluice_requests_total", "route", "web.example/", "pool", "web",
                "backend", "127.0.0.1:9001", "status_class", "2xx")).isEqualTo(2);
        assertThat(e.value("sluice_requests_total", "route", "web.example/", "pool", "web",
                "backend", "127.0.0.1:9002", "status_class", "5xx")).isEqualTo(1);
        assertThat(e.find("sluice_requests_total", "status_class", "4xx")).isEmpty(); // classes never seen are not shown
        assertThat(e.value("sluice_request_duration_seconds_count", "pool", "web")).isEqualTo(3);
        assertThat(e.value("sluice_request_duration_seconds_sum", "pool", "web")).isCloseTo(0.0431, within(1e-9));
        assertThat(e.value("sluice_request_duration_seconds_bucket", "pool", "web", "le", "0.005")).isEqualTo(2);
        assertThat(e.value("sluice_request_duration_seconds_bucket", "pool", "web", "le", "0.05")).isEqualTo(3);
        assertThat(e.value("sluice_client_received_bytes_total", "host", "web.example")).isEqualTo(250);
        assertThat(e.value("sluice_client_sent_bytes_total", "host", "web.example")).isEqualTo(2200);
        assertThat(e.value("sluice_upstream_sent_bytes_total", "pool", "web", "backend", "127.0.0.1:9001")).isEqualTo(240);
        assertThat(e.value("sluice_upstream_received_bytes_total", "pool", "web", "backend", "127.0.0.1:9001")).isEqualTo(1980);
        assertThat(e.value("sluice_terminations_total", "cause", "ok")).isEqualTo(3);
    }

    @Test
    void aConnectionClosedBeforeARequestCountsWithoutLatency() throws IOException {
        metrics.accept(Records.request(AccessRecord.NONE, AccessRecord.NONE, AccessRecord.NONE, AccessRecord.NONE,
                0, 5_000_000, 7, 0));

        Exposition e = scrape();

        assertThat(e.value("sluice_requests_total", "route", "-", "pool", "-", "backend", "-", "status_class", "none"))
                .isEqualTo(1);
        assertThat(e.value("sluice_request_duration_seconds_count", "pool", "-")).isZero();
        assertThat(e.value("sluice_terminations_total", "cause", "client_abort")).isEqualTo(1);
        assertThat(e.value("sluice_client_received_bytes_total", "host", "-")).isEqualTo(7);
    }

    @Test
    void hostsPastTheLimitCountAsOtherAndUnroutedRequestsUseNoHost() throws IOException {
        metrics.close();
        metrics = ProxyMetrics.builder(table::get).maxHosts(2).manualTicks().start();
        for (String host : List.of("a.example", "b.example", "c.example", "a.example")) {
            metrics.accept(Records.request("*/", "web", "127.0.0.1:9001", host, 200, 1000, 10, 100));
        }
        metrics.accept(Records.request(AccessRecord.NONE, AccessRecord.NONE, AccessRecord.NONE, "random.example",
                404, 1000, 10, 100));

        Exposition e = scrape();

        assertThat(e.value("sluice_client_sent_bytes_total", "host", "a.example")).isEqualTo(200);
        assertThat(e.value("sluice_client_sent_bytes_total", "host", "b.example")).isEqualTo(100);
        assertThat(e.value("sluice_client_sent_bytes_total", "host", "other")).isEqualTo(200); // c, then "-": the limit was reached
        assertThat(e.find("sluice_client_sent_bytes_total", "host", "c.example")).isEmpty();
        assertThat(e.find("sluice_client_sent_bytes_total", "host", "random.example")).isEmpty();
    }

    @Test
    void triplesPastTheLimitCountAsOther() throws IOException {
        metrics.close();
        metrics = ProxyMetrics.builder(table::get).maxSeries(1).manualTicks().start();
        metrics.accept(Records.ok(1000));
        metrics.accept(Records.request("web.example/", "web", "127.0.0.1:9002", "web.example", 200, 1000, 1, 1));

        Exposition e = scrape();

        assertThat(e.value("sluice_requests_total", "route", "web.example/", "pool", "web",
                "backend", "127.0.0.1:9001", "status_class", "2xx")).isEqualTo(1);
        assertThat(e.value("sluice_requests_total", "route", "other", "pool", "other",
                "backend", "other", "status_class", "2xx")).isEqualTo(1);
    }

    @Test
    void connectionsMoveBetweenStatesAndRepeatedCallsChangeNothing() throws IOException {
        ConnectionTracker first = metrics.connectionOpened();
        ConnectionTracker second = metrics.connectionOpened();
        ConnectionTracker third = metrics.connectionOpened();
        first.active();
        first.active();
        second.active();
        second.idle();
        third.closed();
        third.closed();
        third.active(); // after close: nothing

        Exposition e = scrape();

        assertThat(e.value("sluice_client_connections", "state", "new")).isEqualTo(0);
        assertThat(e.value("sluice_client_connections", "state", "active")).isEqualTo(1);
        assertThat(e.value("sluice_client_connections", "state", "idle")).isEqualTo(1);
        assertThat(e.value("sluice_client_connections_opened_total")).isEqualTo(3);
        assertThat(e.value("sluice_client_connections_closed_total", "state", "new")).isEqualTo(1);
        assertThat(metrics.connections()).isEqualTo(new ConnectionCounts(0, 1, 1));

        first.closed();
        second.closed();
        e = scrape();
        assertThat(e.sum("sluice_client_connections")).isEqualTo(0);
        assertThat(e.value("sluice_client_connections_closed_total", "state", "active")).isEqualTo(1);
        assertThat(e.value("sluice_client_connections_closed_total", "state", "idle")).isEqualTo(1);
    }

    @Test
    void rejectionCausesAreAKnownSetPlusAFewLearnedOnes() throws IOException {
        metrics.rejected("client_rate_limited");
        metrics.rejected("client_rate_limited");
        metrics.rejected("some_new_cause");
        metrics.rejected("Not A Word");

        Exposition e = scrape();

        assertThat(e.value("sluice_rejections_total", "cause", "client_rate_limited")).isEqualTo(2);
        assertThat(e.value("sluice_rejections_total", "cause", "client_header_timeout")).isEqualTo(0);
        assertThat(e.value("sluice_rejections_total", "cause", "some_new_cause")).isEqualTo(1);
        assertThat(e.value("sluice_rejections_total", "cause", "other")).isEqualTo(1);
        assertThat(e.find("sluice_rejections_total")).hasSize(ProxyMetrics.REJECTION_CAUSES.size() + 2);
    }

    @Test
    void backendsShowTheirStateAndLoadFromTheRouteTable() throws IOException {
        B2.markDown(true);
        B1.begin();
        try {
            metrics.accept(Records.ok(1000));
            Exposition e = scrape();

            assertThat(e.value("sluice_backend_state", "pool", "web", "backend", "127.0.0.1:9001", "state", "up")).isEqualTo(1);
            assertThat(e.value("sluice_backend_state", "pool", "web", "backend", "127.0.0.1:9002", "state", "up")).isEqualTo(0);
            assertThat(e.value("sluice_backend_state", "pool", "web", "backend", "127.0.0.1:9002", "state", "down")).isEqualTo(1);
            assertThat(e.value("sluice_backend_in_flight_requests", "pool", "web", "backend", "127.0.0.1:9001")).isEqualTo(1);
            assertThat(metrics.pools()).containsExactly(new PoolLoad("web", "round_robin", List.of(
                    new PoolLoad.BackendLoad("127.0.0.1:9001", "up", 1, 0, 1),
                    new PoolLoad.BackendLoad("127.0.0.1:9002", "down", 0, 0, 0))));
        } finally {
            B2.markDown(false);
            B1.end();
        }
    }

    @Test
    void seriesOfABackendThatLeftAreDropped() throws IOException {
        metrics.accept(Records.ok(1000));
        metrics.accept(Records.request("web.example/", "web", "127.0.0.1:9002", "web.example", 200, 1000, 1, 1));
        metrics.accept(Records.request(AccessRecord.NONE, AccessRecord.NONE, AccessRecord.NONE, "x", 404, 1000, 1, 1));
        table.set(Records.table(B2));

        metrics.prune(table.get());
        Exposition e = scrape();

        assertThat(e.find("sluice_requests_total", "backend", "127.0.0.1:9001")).isEmpty();
        assertThat(e.find("sluice_upstream_sent_bytes_total", "backend", "127.0.0.1:9001")).isEmpty();
        assertThat(e.find("sluice_requests_total", "backend", "127.0.0.1:9002")).hasSize(1);
        assertThat(e.find("sluice_requests_total", "pool", "-")).hasSize(1);
        assertThat(e.value("sluice_request_duration_seconds_count", "pool", "web")).isEqualTo(2);
        metrics.accept(Records.ok(1000)); // a late record of the backend that left starts it again
        assertThat(scrape().value("sluice_requests_total", "route", "web.example/", "pool", "web",
                "backend", "127.0.0.1:9001", "status_class", "2xx")).isEqualTo(1);
    }

    @Test
    void eachSecondKeepsItsRequestsErrorsLatencyAndConnections() {
        metrics.connectionOpened().active();
        for (int i = 1; i <= 100; i++) {
            metrics.accept(Records.ok(i * 1000L));
        }
        metrics.accept(Records.request("web.example/", "web", "127.0.0.1:9001", "web.example", 404, 1000, 1, 1));
        metrics.tick(1000);
        metrics.tick(1001);
        metrics.accept(Records.request("web.example/", "web", "127.0.0.1:9001", "web.example", 502, 1000, 1, 1));
        metrics.tick(1001); // late: becomes 1002

        List<SecondStats> all = metrics.history(0);

        assertThat(all).extracting(SecondStats::time).containsExactly(1000L, 1001L, 1002L);
        SecondStats busy = all.get(0);
        assertThat(busy.requests()).isEqualTo(101);
        assertThat(busy.status4xx()).isEqualTo(1);
        assertThat(busy.p50Millis()).isCloseTo(50, within(1.0));
        assertThat(busy.p99Millis()).isCloseTo(99, within(1.5));
        assertThat(busy.connections()).isEqualTo(new ConnectionCounts(0, 1, 0));
        assertThat(all.get(1).requests()).isZero();
        assertThat(all.get(1).p50Millis()).isNaN();
        assertThat(all.get(2).status5xx()).isEqualTo(1);
        assertThat(metrics.history(1001)).extracting(SecondStats::time).containsExactly(1002L);
    }

    @Test
    void historyKeepsFiveMinutes() {
        for (int t = 1; t <= ProxyMetrics.HISTORY_SECONDS + 10; t++) {
            metrics.tick(t);
        }
        List<SecondStats> all = metrics.history(0);
        assertThat(all).hasSize(ProxyMetrics.HISTORY_SECONDS);
        assertThat(all.getFirst().time()).isEqualTo(11);
        assertThat(all.getLast().time()).isEqualTo(ProxyMetrics.HISTORY_SECONDS + 10);
    }

    @Test
    void suppliedCountsAppearOnceSupplied() throws IOException {
        assertThat(scrape().find("sluice_access_log_dropped_records_total")).isEmpty();
        metrics.accessLogDropped(() -> 42);
        metrics.upstreamIdleConnections(() -> 3);

        Exposition e = scrape();

        assertThat(e.value("sluice_access_log_dropped_records_total")).isEqualTo(42);
        assertThat(e.value("sluice_upstream_idle_connections")).isEqualTo(3);
    }

    @Test
    void processAndJvmMetricsAreThere() throws IOException {
        Exposition e = scrape();

        assertThat(e.value("process_open_fds")).isPositive();
        assertThat(e.value("process_max_fds")).isGreaterThan(e.value("process_open_fds"));
        assertThat(e.find("jvm_memory_used_bytes", "area", "heap")).hasSize(1);
        assertThat(e.find("sluice_buffer_allocator_reserved_bytes")).hasSize(2);
    }

    private Exposition scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.writeText(out);
        return PrometheusText.parse(out.toString(StandardCharsets.UTF_8));
    }
}
