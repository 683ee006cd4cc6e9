package dev.sluice.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.accesslog.AccessRecord;
import dev.sluice.metrics.ProxyMetrics;
import dev.sluice.testing.OriginServer;
import dev.sluice.testing.PrometheusText;
import dev.sluice.testing.PrometheusText.Exposition;
import dev.sluice.testing.TestAdmin;
import dev.sluice.testing.TestAdmin.Response;
import dev.sluice.testing.WireClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics}, {@code /api/stats} and the dashboard's files on a real admin listener beside a
 * real proxy: read with no token, in their content types, and changing as traffic flows and records
 * come.
 */
class MetricsEndpointTest {

    @TempDir
    Path dir;

    private OriginServer origin;
    private TestAdmin admin;

    @BeforeEach
    void start() {
        origin = OriginServer.start("a");
        admin = TestAdmin.start(dir, """
                listen: 127.0.0.1:0
                upstream:
                  idle_timeout: 2m
                pools:
                  web:
                    backends: [127.0.0.1:%d]
                routes:
                  - pool: web
                """.formatted(origin.port()), null);
    }

    @AfterEach
    void stop() {
        admin.close();
        origin.close();
    }

    @Test
    void metricsAreThePrometheusTextFormatAndNeedNoToken() {
        Response r = admin.get("/metrics");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("content-type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        Exposition e = PrometheusText.parse(r.body());
        assertThat(e.type("sluice_backend_state")).isEqualTo("gauge");
        assertThat(e.value("sluice_backend_state", "pool", "web", "backend", "127.0.0.1:" + origin.port(), "state", "up"))
                .isEqualTo(1);
        assertThat(e.value("sluice_rejections_total", "cause", "client_rate_limited")).isZero();
        assertThat(e.type("process_open_fds")).isEqualTo("gauge");
    }

    @Test
    void valuesChangeAsTrafficFlowsThroughTheProxy() throws Exception {
        String backend = "127.0.0.1:" + origin.port();
        Exposition before = PrometheusText.parse(admin.get("/metrics").body());
        assertThat(before.value("sluice_backend_connections", "pool", "web", "backend", backend)).isZero();

        long sent;
        long read;
        try (WireClient client = new WireClient(admin.proxyPort())) {
            for (int i = 0; i < 5; i++) {
                assertThat(client.send(WireClient.get("www.example", "/bytes/900")).read().status()).isEqualTo(200);
            }
            sent = client.bytesSent();
            read = client.bytesRead();
        }
        try (WireClient bad = new WireClient(admin.proxyPort())) {
            assertThat(bad.send("GET / HTTP/1.1\r\nHost: www.example\r\nHost: again\r\n\r\n").read().status())
                    .isEqualTo(400);
        }

        Exposition after = PrometheusText.parse(admin.get("/metrics").body());
        // The upstream connection is kept alive for the next request, and counted.
        assertThat(after.value("sluice_backend_connections", "pool", "web", "backend", backend)).isEqualTo(1);
        assertThat(after.sum("sluice_requests_total", "pool", "web", "backend", backend, "status_class", "2xx"))
                .isEqualTo(5);
        assertThat(after.value("sluice_request_duration_seconds_count", "pool", "web")).isEqualTo(5);
        // The billing numbers: the clients' own counts, to the byte.
        assertThat(after.value("sluice_client_received_bytes_total", "host", "www.example")).isEqualTo(sent);
        assertThat(after.value("sluice_client_sent_bytes_total", "host", "www.example")).isEqualTo(read);
        assertThat(after.value("sluice_rejections_total", "cause", "client_bad_host")).isEqualTo(1);
        assertThat(after.value("sluice_client_connections_opened_total")).isEqualTo(2);
    }

    @Test
    void thePrometheusProjectsOwnParserReadsWhatTheStrictOneReads() throws Exception {
        try (WireClient client = new WireClient(admin.proxyPort())) {
            for (int i = 0; i < 3; i++) {
                assertThat(client.send(WireClient.get("www.example", "/")).read().status()).isEqualTo(200);
            }
        }
        String text = admin.get("/metrics").body();
        // python3-prometheus-client, installed by scripts/install-test-tools.sh: every sample it reads,
        // one per line, as name{labels} value.
        Process python = new ProcessBuilder("/usr/bin/python3", "-c", """
                import sys
                from prometheus_client.parser import text_string_to_metric_families
                for family in text_string_to_metric_families(sys.stdin.read()):
                    for s in family.samples:
                        labels = ",".join(k + "=" + v for k, v in sorted(s.labels.items()))
                        print(s.name + "{" + labels + "} " + repr(float(s.value)))
                """).redirectErrorStream(true).start();
        try (var in = python.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        String parsed = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor()).as(parsed).isZero();

        Exposition strict = PrometheusText.parse(text);
        assertThat(parsed.lines().count()).isEqualTo(strict.samples().size());
        String backend = "127.0.0.1:" + origin.port();
        assertThat(parsed).contains("sluice_requests_total{backend=" + backend + ",pool=web,route=*/,status_class=2xx} 3.0");
    }

    @Test
    void statsKeepTheSecondsAndThePoolsForTheDashboard() throws Exception {
        String backend = "127.0.0.1:" + origin.port();
        feed(admin.metrics(), backend, 20);
        JsonNode stats = awaitSeconds(1);

        assertThat(stats.path("interval_seconds").asInt()).isEqualTo(1);
        assertThat(stats.path("route_table_version").asLong()).isPositive();
        JsonNode seconds = stats.path("seconds");
        long requests = 0;
        for (JsonNode s : seconds) {
            requests += s.path("requests").asLong();
            assertThat(s.has("p50_ms") && s.has("p99_ms") && s.path("connections").has("idle")).isTrue();
        }
        assertThat(requests).isEqualTo(20);
        JsonNode pool = stats.path("pools").get(0);
        assertThat(pool.path("name").asText()).isEqualTo("web");
        JsonNode b = pool.path("backends").get(0);
        assertThat(b.path("address").asText()).isEqualTo(backend);
        assertThat(b.path("state").asText()).isEqualTo("up");
        assertThat(b.path("requests").asLong()).isEqualTo(20);

        long last = seconds.get(seconds.size() - 1).path("time").asLong();
        for (JsonNode s : admin.get("/api/stats?since=" + last).json().path("seconds")) {
            assertThat(s.path("time").asLong()).isGreaterThan(last);
        }
    }

    @Test
    void aBadSinceIsRefused() {
        Response r = admin.get("/api/stats?since=yesterday");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.error()).contains("since").contains("yesterday");
    }

    @Test
    void theDashboardIsServedInItsContentTypes() {
        Response page = admin.get("/dashboard");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("content-type")).isEqualTo("text/html; charset=utf-8");
        assertThat(page.header("content-security-policy")).contains("default-src 'self'");
        assertThat(page.body()).contains("/dashboard/dashboard.js");
        assertThat(admin.get("/dashboard/").body()).isEqualTo(page.body());

        assertThat(admin.get("/dashboard/dashboard.js").header("content-type")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(admin.get("/dashboard/dashboard.css").header("content-type")).isEqualTo("text/css; charset=utf-8");
        assertThat(admin.get("/dashboard/vendor/uPlot.iife.min.js").body()).contains("uPlot");
        assertThat(admin.get("/dashboard/vendor/uPlot.LICENSE").body()).contains("MIT");
        assertThat(admin.get("/dashboard/nothing.js").status()).isEqualTo(404);
        assertThat(admin.send("POST", "/metrics", "", null).status()).isEqualTo(405);
    }

    /** {@code n} records of 200s through pool web to {@code backend}, as the data path makes them. */
    static void feed(ProxyMetrics metrics, String backend, int n) {
        for (int i = 0; i < n; i++) {
            metrics.accept(new AccessRecord(System.currentTimeMillis(), "127.0.0.1", 50000 + i, "GET", "www.example",
                    "/", "HTTP/1.1", 200, 80, 900, 120, 860, "*/", "web", backend, 1500 + 100L * i, -1, 1000,
                    "ok", "id-" + i, AccessRecord.NONE, "test"));
        }
    }

    /** {@code /api/stats} once it keeps seconds that saw requests, at least {@code n} of them. */
    private JsonNode awaitSeconds(int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            JsonNode stats = admin.get("/api/stats").json();
            int busy = 0;
            for (JsonNode s : stats.path("seconds")) {
                busy += s.path("requests").asLong() > 0 ? 1 : 0;
            }
            if (busy >= n || System.nanoTime() > deadline) {
                return stats;
            }
            Thread.sleep(200);
        }
    }
}
