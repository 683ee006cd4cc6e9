package dev.sluice.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.accesslog.AccessRecord;
import dev.sluice.metrics.ConnectionTracker;
import dev.sluice.metrics.ProxyMetrics;
import dev.sluice.testing.Cdp;
import dev.sluice.testing.Chromium;
import dev.sluice.testing.OriginServer;
import dev.sluice.testing.Seeds;
import dev.sluice.testing.TestAdmin;
import dev.sluice.testing.WireClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real headless Chromium, over the DevTools protocol, against a real admin
 * listener and proxy while traffic flows: it loads without a console error, draws its charts,
 * its numbers move, and it says so when the proxy goes away. Leaves a screenshot in
 * {@code proxy/target/dashboard.png}; {@code -Dsluice.dashboard.docs=true} writes it to
 * {@code docs/images/dashboard.png} instead (a test run must not change committed files), and
 * {@code -Dsluice.dashboard.seconds=N} lets traffic flow N seconds first, for a fuller picture.
 */
class DashboardBrowserTest {

    @TempDir
    Path dir;

    @Test
    void showsLiveTrafficAndSaysWhenTheProxyIsGone() throws Exception {
        RandomGenerator random = Seeds.random(1);
        try (OriginServer a = OriginServer.start("a"); OriginServer b = OriginServer.start("b");
                OriginServer c = OriginServer.start("c")) {
            TestAdmin admin = TestAdmin.start(dir, """
                    listen: 127.0.0.1:0
                    pools:
                      web:
                        backends: [127.0.0.1:%d, 127.0.0.1:%d]
                      api:
                        balance: least_request
                        backends: [127.0.0.1:%d]
                    routes:
                      - host: api.example
                        pool: api
                      - pool: web
                    """.formatted(a.port(), b.port(), c.port()), null);
            Map<String, Integer> ports = Map.of("a", a.port(), "b", b.port(), "c", c.port());
            Traffic traffic = new Traffic(admin, ports, random);
            Thread driver = Thread.ofPlatform().name("dashboard-traffic").start(traffic);
            Path profile = Files.createDirectory(dir.resolve("chromium"));
            try (Chromium chromium = Chromium.start(profile); Cdp cdp = Cdp.connect(chromium.browserWebSocket())) {
                Thread.sleep(Duration.ofSeconds(Long.getLong("sluice.dashboard.seconds", 4)));
                String page = cdp.newPage();
                for (String domain : List.of("Runtime", "Log", "Page")) {
                    cdp.send(page, domain + ".enable", cdp.params());
                }
                cdp.send(page, "Emulation.setDeviceMetricsOverride", cdp.params()
                        .put("width", 1360).put("height", 1060).put("deviceScaleFactor", 1).put("mobile", false));
                cdp.send(page, "Page.navigate", cdp.params().put("url", "http://" + admin.adminAddress() + "/dashboard"));

                await(() -> cdp.evaluate(page, "Number(document.body?.dataset.seconds ?? 0)").asInt() > 0,
                        "the dashboard to show its first seconds");

                JsonNode canvases = cdp.evaluate(page,
                        "[...document.querySelectorAll('canvas')].map(c => [c.width, c.height])");
                assertThat(canvases).hasSize(4);
                canvases.forEach(size -> assertThat(size.get(0).asInt() * size.get(1).asInt()).isPositive());

                String updated = text(cdp, page, "updated");
                await(() -> !text(cdp, page, "updated").equals(updated), "the newest second to move on");
                await(() -> number(text(cdp, page, "rps")) > 0, "requests/s above 0");
                assertThat(text(cdp, page, "p99")).matches("[0-9.]+\\s?m?s");
                String rows = text(cdp, page, "backends");
                assertThat(rows).contains("web", "api", "127.0.0.1:" + a.port(), "127.0.0.1:" + c.port(), "up");

                assertThat(problems(cdp)).as("console errors and exceptions").isEmpty();
                screenshot(cdp, page);

                traffic.stop();
                driver.join();
                admin.close();
                await(() -> cdp.evaluate(page, "!document.getElementById('unreachable').hidden").asBoolean(),
                        "the dashboard to say the proxy is unreachable");
                assertThat(text(cdp, page, "unreachable")).contains("Cannot reach the proxy");
                assertThat(text(cdp, page, "status")).isEqualTo("unreachable");
            } finally {
                traffic.stop();
                driver.join();
                admin.close();
            }
        }
    }

    /** The text of the element with {@code id}. */
    private static String text(Cdp cdp, String page, String id) {
        return cdp.evaluate(page, "document.getElementById('" + id + "').textContent.trim()").asText();
    }

    private static double number(String text) {
        String digits = text.replaceAll("[^0-9.]", "");
        return digits.isEmpty() ? 0 : Double.parseDouble(digits);
    }

    /** Errors the page logged and exceptions it threw. */
    private static List<String> problems(Cdp cdp) {
        List<String> problems = new ArrayList<>();
        for (Cdp.Event e : cdp.events()) {
            switch (e.method()) {
                case "Runtime.exceptionThrown" -> problems.add(e.params().path("exceptionDetails").toString());
                case "Runtime.consoleAPICalled" -> {
                    if (Set.of("error", "assert").contains(e.params().path("type").asText())) {
                        problems.add(e.params().path("args").toString());
                    }
                }
                case "Log.entryAdded" -> {
                    if (e.params().path("entry").path("level").asText().equals("error")) {
                        problems.add(e.params().path("entry").toString());
                    }
                }
                default -> { }
            }
        }
        return problems;
    }

    private static void screenshot(Cdp cdp, String page) throws IOException {
        String png = cdp.send(page, "Page.captureScreenshot", cdp.params().put("format", "png")).path("data").asText();
        Path file = Boolean.getBoolean("sluice.dashboard.docs")
                ? repoRoot().resolve("docs/images/dashboard.png") : Path.of("target/dashboard.png");
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(png));
    }

    private static Path repoRoot() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.exists(d.resolve("docs"))) {
                return d;
            }
        }
        throw new IllegalStateException("no docs/ above " + Path.of("").toAbsolutePath());
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited 15 s for " + what);
            }
            Thread.sleep(100);
        }
    }

    /**
     * Real requests through the proxy at a rate that rises and falls, a few of them errors. The data
     * path does not hand records to the metrics yet, so each request's record is fed here, with its
     * real backend, status and time, and its client connection's states.
     */
    private static final class Traffic implements Runnable {
        private final TestAdmin admin;
        private final Map<String, Integer> ports;
        private final RandomGenerator random;
        private final AtomicBoolean running = new AtomicBoolean(true);

        Traffic(TestAdmin admin, Map<String, Integer> ports, RandomGenerator random) {
            this.admin = admin;
            this.ports = ports;
            this.random = random;
        }

        void stop() {
            running.set(false);
        }

        @Override
        public void run() {
            ProxyMetrics metrics = admin.metrics();
            List<WireClient> clients = new ArrayList<>();
            List<ConnectionTracker> trackers = new ArrayList<>();
            long start = System.nanoTime();
            try {
                for (int i = 0; i < 6; i++) {
                    clients.add(new WireClient(admin.proxyPort()));
                    trackers.add(metrics.connectionOpened());
                }
                while (running.get()) {
                    double seconds = (System.nanoTime() - start) / 1e9;
                    int i = random.nextInt(clients.size());
                    String host = random.nextInt(4) == 0 ? "api.example" : "www.example";
                    String path = random.nextInt(40) == 0 ? "/missing" : "/";
                    trackers.get(i).active();
                    long began = System.nanoTime();
                    WireClient.Response r = clients.get(i).send(WireClient.get(host, path)).read();
                    long micros = (System.nanoTime() - began) / 1000;
                    trackers.get(i).idle();
                    int status = path.equals("/missing") ? 404 : random.nextInt(150) == 0 ? 503 : r.status();
                    String origin = r.header("x-origin");
                    String pool = host.startsWith("api") ? "api" : "web";
                    metrics.accept(new AccessRecord(System.currentTimeMillis(), "127.0.0.1", 40000 + i, "GET", host, path,
                            "HTTP/1.1", status, 60, 200 + r.body().length, 90, 180 + r.body().length,
                            pool.equals("api") ? "api.example/" : "*/", pool, "127.0.0.1:" + ports.get(origin),
                            micros + random.nextInt(400), -1, micros, "ok", "t-" + i, AccessRecord.NONE, "dashboard-test"));
                    // About 40 to 120 requests a second, rising and falling.
                    Thread.sleep(Duration.ofNanos((long) (1e9 / (80 + 40 * Math.sin(seconds / 3)))));
                }
            } catch (IOException e) {
                if (running.get()) {
                    throw new IllegalStateException("a request through the proxy failed", e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                trackers.forEach(ConnectionTracker::closed);
                for (WireClient client : clients) {
                    try {
                        client.close();
                    } catch (IOException e) {
                        // closing a test client that the proxy may have closed first: nothing to do
                    }
                }
            }
        }
    }
}
