package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.balance.Backend;
import dev.sluice.testing.OriginServer;
import dev.sluice.testing.RawServer;
import dev.sluice.testing.TestProxy;
import dev.sluice.testing.WireClient;
import dev.sluice.testing.WireClient.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** Backends die and come back under load; health checks and outlier detection route around them. */
class HealthTest {

    static Backend backend(TestProxy proxy, int port) {
        return proxy.control().table().backends().values().stream()
                .filter(b -> b.address().getPort() == port).findFirst().orElseThrow();
    }

    @Test
    void aBackendKilledUnderLoadLeavesWithinIntervalTimesFallAndReturnsAfterRise() throws Exception {
        OriginServer a = OriginServer.start("a");
        OriginServer b = OriginServer.start("b");
        int bPort = b.port();
        AtomicBoolean running = new AtomicBoolean(true);
        try (TestProxy proxy = TestProxy.start("""
                        listen: 127.0.0.1:0
                        pools:
                          p:
                            backends: [127.0.0.1:%d, 127.0.0.1:%d]
                            health_check: { path: /health, interval: 100ms, timeout: 200ms, fall: 2, rise: 2 }
                        routes: [ { pool: p } ]
                        """.formatted(a.port(), bPort));
                ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<int[]>> tallies = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                tallies.add(clients.submit(() -> load(proxy.port(), running)));
            }
            Thread.sleep(300);
            b.close(); // killed: its in-flight requests are cut, its port refuses
            long killed = System.nanoTime();
            Backend dead = backend(proxy, bPort);
            waitFor(dead::isDown, 3000);
            long leftAfter = (System.nanoTime() - killed) / 1_000_000;
            assertThat(leftAfter).as("ms until marked down (interval 100ms x fall 2 + timeout)").isLessThan(1000);

            b = OriginServer.start("b", bPort, Map.of());
            waitFor(() -> !dead.isDown(), 3000);
            int before = b.requests();
            Thread.sleep(300);
            running.set(false);
            int failed = 0;
            int ok = 0;
            for (Future<int[]> f : tallies) {
                int[] t = f.get(10, TimeUnit.SECONDS);
                ok += t[0];
                failed += t[1];
            }
            assertThat(failed).as("failed requests: at most those in flight on b at the kill, one per client")
                    .isLessThanOrEqualTo(4);
            assertThat(ok).isGreaterThan(100);
            assertThat(b.requests()).as("traffic came back to b after it rose").isGreaterThan(before);
        } finally {
            running.set(false);
            a.close();
            b.close();
        }
    }

    @Test
    void aBackendThatKeepsFailingIsEjectedAndTrafficMovesOn() throws Exception {
        try (OriginServer good = OriginServer.start("good");
                RawServer bad = RawServer.start(s -> {
                    var in = s.getInputStream();
                    var out = s.getOutputStream();
                    while (!RawServer.readHead(in).isEmpty()) {
                        out.write("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\n\r\nfail"
                                .getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                });
                TestProxy proxy = TestProxy.start("""
                        listen: 127.0.0.1:0
                        pools:
                          p:
                            backends: [127.0.0.1:%d, 127.0.0.1:%d]
                            outlier_detection: { consecutive_failures: 3, base_ejection_time: 10s }
                        routes: [ { pool: p } ]
                        """.formatted(good.port(), bad.port()));
                WireClient c = new WireClient(proxy.port())) {
            int errors = 0;
            for (int i = 0; i < 40; i++) {
                errors += c.send(WireClient.get("p.test", "/")).read().status() == 500 ? 1 : 0;
            }
            assertThat(errors).as("500s before the ejection").isEqualTo(3);
            assertThat(backend(proxy, bad.port()).state()).isEqualTo(Backend.State.EJECTED);
        }
    }

    /** Sequential requests on one keep-alive connection (a new one after a failure): {ok, failed}. */
    static int[] load(int port, AtomicBoolean running) {
        int ok = 0;
        int failed = 0;
        WireClient c = null;
        while (running.get()) {
            try {
                if (c == null) {
                    c = new WireClient(port);
                }
                Response r = c.send(WireClient.get("p.test", "/")).read();
                if (r.status() == 200 && r.complete()) {
                    ok++;
                } else {
                    failed++;
                }
            } catch (IOException e) {
                failed++;
                c = null;
            }
        }
        return new int[] {ok, failed};
    }

    static void waitFor(BooleanSupplier condition, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            assertThat(System.currentTimeMillis()).as("waited %d ms", millis).isLessThan(end);
            Thread.sleep(10);
        }
    }
}
