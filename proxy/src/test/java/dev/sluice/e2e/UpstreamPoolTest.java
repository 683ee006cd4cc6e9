package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.RawServer;
import dev.sluice.testing.TestProxy;
import dev.sluice.testing.WireClient;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** Keep-alive connections to backends: reused, capped, closed when idle, dropped when the backend closes them. */
class UpstreamPoolTest {

    /** A keep-alive backend that answers every request with "ok", and counts connections it saw end. */
    static final class KeepAliveBackend {
        final AtomicInteger closed = new AtomicInteger();
        final CountDownLatch release;
        final RawServer server;

        KeepAliveBackend(int holdFirst) {
            release = new CountDownLatch(holdFirst > 0 ? 1 : 0);
            AtomicInteger seen = new AtomicInteger();
            server = RawServer.start(s -> {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                try {
                    while (!RawServer.readHead(in).isEmpty()) {
                        if (seen.incrementAndGet() <= holdFirst) {
                            release.await(10, TimeUnit.SECONDS); // keep the first requests in flight together
                        }
                        out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                } finally {
                    closed.incrementAndGet();
                }
            });
        }
    }

    static TestProxy proxy(RawServer backend, String upstream) {
        return TestProxy.start("""
                listen: 127.0.0.1:0
                threads: 1
                upstream:
                  %s
                pools: { b: { backends: [127.0.0.1:%d] } }
                routes: [ { pool: b } ]
                """.formatted(upstream, backend.port()));
    }

    @Test
    void idleConnectionsCloseAfterTheIdleTimeout() throws Exception {
        KeepAliveBackend backend = new KeepAliveBackend(0);
        try (RawServer s = backend.server; TestProxy p = proxy(s, "idle_timeout: 300ms");
                WireClient c = new WireClient(p.port())) {
            assertThat(c.send(WireClient.get("a.test", "/")).read().text()).isEqualTo("ok");
            assertThat(c.send(WireClient.get("a.test", "/")).read().text()).isEqualTo("ok");
            assertThat(s.accepted()).isEqualTo(1);
            Thread.sleep(100);
            assertThat(backend.closed.get()).as("still pooled").isZero();
            waitFor(() -> backend.closed.get() == 1, 3000);
            // the next request simply opens a new connection
            assertThat(c.send(WireClient.get("a.test", "/")).read().text()).isEqualTo("ok");
            assertThat(s.accepted()).isEqualTo(2);
        }
    }

    @Test
    void atMostMaxIdleConnectionsArePooledPerBackend() throws Exception {
        KeepAliveBackend backend = new KeepAliveBackend(3);
        try (RawServer s = backend.server; TestProxy p = proxy(s, "max_idle_per_backend: 1")) {
            List<WireClient> clients = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                clients.add(new WireClient(p.port()).send(WireClient.get("a.test", "/")));
            }
            waitFor(() -> s.accepted() == 3, 5000);
            backend.release.countDown();
            for (WireClient c : clients) {
                assertThat(c.read().text()).isEqualTo("ok");
                c.close();
            }
            waitFor(() -> backend.closed.get() == 2, 3000); // three in use, one kept
            Thread.sleep(200);
            assertThat(backend.closed.get()).isEqualTo(2);
        }
    }

    @Test
    void aPooledConnectionTheBackendClosesIsNotReused() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        try (RawServer s = RawServer.start(sock -> {
                    // one request per connection, then close without saying so
                    RawServer.readHead(sock.getInputStream());
                    requests.incrementAndGet();
                    sock.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
                            .getBytes(StandardCharsets.US_ASCII));
                    sock.getOutputStream().flush();
                });
                TestProxy p = proxy(s, "idle_timeout: 60s");
                WireClient c = new WireClient(p.port())) {
            for (int i = 0; i < 5; i++) {
                assertThat(c.send(WireClient.get("a.test", "/")).read().status()).isEqualTo(200);
                Thread.sleep(100); // the close reaches the proxy while the connection is idle
            }
            assertThat(s.accepted()).isEqualTo(5);
        }
    }

    static void waitFor(BooleanSupplier condition, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            assertThat(System.currentTimeMillis()).as("waited %d ms", millis).isLessThan(end);
            Thread.sleep(20);
        }
    }
}
