package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.OriginServer;
import dev.sluice.testing.RawServer;
import dev.sluice.testing.RefusingPort;
import dev.sluice.testing.TestProxy;
import dev.sluice.testing.WireClient;
import dev.sluice.testing.WireClient.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** Backends that hang, refuse, close or pile up: timeouts, retries and limits keep clients served. */
class ResilienceTest {

    /** A proxy in front of two backends, round robin on one event loop, outlier detection off. */
    static TestProxy twoBackends(int first, int second, String poolSettings) {
        return TestProxy.start("""
                listen: 127.0.0.1:0
                threads: 1
                pools:
                  p:
                    backends: [127.0.0.1:%d, 127.0.0.1:%d]
                    outlier_detection: { consecutive_failures: 0 }
                    %s
                routes: [ { pool: p } ]
                """.formatted(first, second, poolSettings));
    }

    /** A backend that answers "ok" after {@code holdMillis}, counting the requests it saw by method. */
    static RawServer slowOk(long holdMillis, AtomicInteger posts) {
        return RawServer.start(s -> {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            for (String head; !(head = RawServer.readHead(in)).isEmpty(); ) {
                if (head.startsWith("POST")) {
                    posts.incrementAndGet();
                }
                Thread.sleep(holdMillis);
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        });
    }

    @Test
    void aBackendThatNeverAnswersGets504InTimeAndBlocksNobodyElse() throws Exception {
        try (RawServer silent = RawServer.start(s -> {
                    RawServer.readHead(s.getInputStream());
                    Thread.sleep(30_000);
                });
                OriginServer healthy = OriginServer.start("healthy");
                TestProxy proxy = TestProxy.start("""
                        listen: 127.0.0.1:0
                        threads: 1
                        pools:
                          silent:
                            backends: [127.0.0.1:%d]
                            timeouts: { response: 1500ms }
                          healthy:
                            backends: [127.0.0.1:%d]
                        routes:
                          - host: silent.test
                            pool: silent
                          - pool: healthy
                        """.formatted(silent.port(), healthy.port()));
                WireClient hanging = new WireClient(proxy.port());
                WireClient other = new WireClient(proxy.port())) {
            long t0 = System.nanoTime();
            hanging.send(WireClient.get("silent.test", "/"));
            // on the same single event loop, other requests go on meanwhile
            for (int i = 0; i < 5; i++) {
                assertThat(other.send(WireClient.get("other.test", "/")).read().status()).isEqualTo(200);
            }
            assertThat((System.nanoTime() - t0) / 1_000_000).as("other requests were not held up").isLessThan(1200);
            Response r = hanging.read();
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r.status()).isEqualTo(504);
            assertThat(r.text()).contains("did not answer in time");
            assertThat(millis).isBetween(1400L, 5000L);
            // the client connection is still good
            assertThat(hanging.send(WireClient.get("other.test", "/")).read().status()).isEqualTo(200);
        }
    }

    @Test
    void aRefusedConnectionIsRetriedOnAnotherBackend() throws Exception {
        try (OriginServer live = OriginServer.start("live");
                RefusingPort refusing = RefusingPort.open();
                TestProxy proxy = twoBackends(refusing.port(), live.port(), "");
                WireClient c = new WireClient(proxy.port())) {
            for (int i = 0; i < 10; i++) {
                // a POST with a body too: nothing of it had left the proxy when the connect failed
                Response r = c.send("POST /p" + i + " HTTP/1.1\r\nHost: p.test\r\nContent-Length: 3\r\n\r\nabc").read();
                assertThat(r.status()).as(r.text()).isEqualTo(200);
                assertThat(r.header("x-origin")).isEqualTo("live");
            }
            assertThat(live.requests()).isEqualTo(10);
        }
    }

    @Test
    void retriesStayWithinTheBudget() throws Exception {
        AtomicInteger posts = new AtomicInteger();
        try (RawServer live = slowOk(600, posts);
                RefusingPort refusing = RefusingPort.open();
                TestProxy proxy = twoBackends(refusing.port(), live.port(),
                        "retries: { attempts: 1, budget_percent: 0, min_retries: 3 }");
                ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            // Round robin sends every other request to the refusing backend: 5 of 10 need a retry,
            // and only 3 retries may be under way at once while the live backend holds them.
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                statuses.add(clients.submit(() -> {
                    try (WireClient c = new WireClient(proxy.port())) {
                        return c.send(WireClient.get("p.test", "/")).read().status();
                    }
                }));
                Thread.sleep(20);
            }
            int ok = 0;
            int badGateway = 0;
            for (Future<Integer> f : statuses) {
                int status = f.get(10, TimeUnit.SECONDS);
                ok += status == 200 ? 1 : 0;
                badGateway += status == 502 ? 1 : 0;
            }
            assertThat(badGateway).as("retries refused by the budget").isEqualTo(2);
            assertThat(ok).isEqualTo(8);
        }
    }

    @Test
    void aPostWhoseBodyWasSentIsNeverRetriedButAGetIs() throws Exception {
        AtomicInteger postsOnLive = new AtomicInteger();
        try (RawServer closer = RawServer.start(s -> {
                    if (RawServer.readHead(s.getInputStream()).startsWith("POST")) {
                        s.getInputStream().readNBytes(3); // the body arrived; then the backend dies
                    }
                });
                RawServer live = slowOk(0, postsOnLive);
                TestProxy proxy = twoBackends(closer.port(), live.port(), "")) {
            try (WireClient c = new WireClient(proxy.port())) {
                Response post = c.send("POST /pay HTTP/1.1\r\nHost: p.test\r\nContent-Length: 3\r\n\r\nabc").read();
                assertThat(post.status()).isEqualTo(502);
            }
            assertThat(postsOnLive.get()).as("the POST was not sent a second time").isZero();
            // round robin: the next request goes to the closer again, but an idempotent GET is retried
            try (WireClient c = new WireClient(proxy.port())) {
                c.send(WireClient.get("p.test", "/a")).read(); // the live backend's turn
                Response get = c.send("GET /b HTTP/1.1\r\nHost: p.test\r\nContent-Length: 0\r\n\r\n").read();
                assertThat(get.status()).isEqualTo(200);
            }
        }
    }

    @Test
    void overflowBeyondMaxRequestsGets503Promptly() throws Exception {
        AtomicInteger posts = new AtomicInteger();
        try (RawServer slow = slowOk(1500, posts);
                TestProxy proxy = TestProxy.start("""
                        listen: 127.0.0.1:0
                        pools:
                          p:
                            backends: [127.0.0.1:%d]
                            limits: { max_requests: 2 }
                        routes: [ { pool: p } ]
                        """.formatted(slow.port()));
                WireClient a = new WireClient(proxy.port());
                WireClient b = new WireClient(proxy.port());
                WireClient c = new WireClient(proxy.port())) {
            a.send(WireClient.get("p.test", "/"));
            b.send(WireClient.get("p.test", "/"));
            waitFor(() -> slow.accepted() == 2);
            long t0 = System.nanoTime();
            Response third = c.send(WireClient.get("p.test", "/")).read();
            assertThat(third.status()).isEqualTo(503);
            assertThat(third.text()).contains("too many requests in flight");
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(500);
            assertThat(a.read().status()).isEqualTo(200);
            assertThat(b.read().status()).isEqualTo(200);
            // with room again, the pool takes requests
            assertThat(c.send(WireClient.get("p.test", "/")).read().status()).isEqualTo(200);
        }
    }

    @Test
    void overflowBeyondMaxConnectionsPerBackendGets503() throws Exception {
        AtomicInteger posts = new AtomicInteger();
        try (RawServer slow = slowOk(800, posts);
                TestProxy proxy = TestProxy.start("""
                        listen: 127.0.0.1:0
                        threads: 1
                        pools:
                          p:
                            backends: [127.0.0.1:%d]
                            limits: { max_connections: 1 }
                        routes: [ { pool: p } ]
                        """.formatted(slow.port()));
                WireClient a = new WireClient(proxy.port());
                WireClient b = new WireClient(proxy.port())) {
            a.send(WireClient.get("p.test", "/"));
            waitFor(() -> slow.accepted() == 1);
            Response second = b.send(WireClient.get("p.test", "/")).read();
            assertThat(second.status()).isEqualTo(503);
            assertThat(second.text()).contains("too many connections");
            assertThat(a.read().status()).isEqualTo(200);
            // the one connection is free again and pooled: the next request reuses it
            assertThat(b.send(WireClient.get("p.test", "/")).read().status()).isEqualTo(200);
            assertThat(slow.accepted()).isEqualTo(1);
        }
    }

    @Test
    void aResponseBodyThatStallsIsCutAtTheIdleTimeout() throws Exception {
        try (RawServer stalls = RawServer.start(s -> {
                    RawServer.readHead(s.getInputStream());
                    OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nfirst part"
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Thread.sleep(30_000);
                });
                TestProxy proxy = TestProxy.start("""
                        listen: 127.0.0.1:0
                        pools:
                          p:
                            backends: [127.0.0.1:%d]
                            timeouts: { idle: 300ms }
                        routes: [ { pool: p } ]
                        """.formatted(stalls.port()));
                WireClient c = new WireClient(proxy.port())) {
            long t0 = System.nanoTime();
            Response r = c.send(WireClient.get("p.test", "/")).read();
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.complete()).as("a cut body must not look complete").isFalse();
            assertThat(millis).isBetween(250L, 5000L);
        }
    }

    @Test
    void theTotalTimeoutBoundsTheWholeExchange() throws Exception {
        try (RawServer trickle = RawServer.start(s -> {
                    RawServer.readHead(s.getInputStream());
                    OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    for (int i = 0; i < 100; i++) { // a byte every 100 ms: never idle, never done
                        out.write("1\r\nx\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        Thread.sleep(100);
                    }
                });
                TestProxy proxy = TestProxy.start("""
                        listen: 127.0.0.1:0
                        pools:
                          p:
                            backends: [127.0.0.1:%d]
                            timeouts: { idle: 1s, total: 700ms }
                        routes: [ { pool: p } ]
                        """.formatted(trickle.port()));
                WireClient c = new WireClient(proxy.port())) {
            long t0 = System.nanoTime();
            Response r = c.send(WireClient.get("p.test", "/")).read();
            assertThat(r.complete()).isFalse();
            assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(600L, 5000L);
        }
    }

    static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long end = System.currentTimeMillis() + 5000;
        while (!condition.getAsBoolean()) {
            assertThat(System.currentTimeMillis()).isLessThan(end);
            Thread.sleep(10);
        }
    }
}
