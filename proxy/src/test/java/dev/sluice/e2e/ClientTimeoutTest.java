package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.OriginServer;
import dev.sluice.testing.RawServer;
import dev.sluice.testing.TestProxy;
import dev.sluice.testing.WireClient;
import dev.sluice.testing.WireClient.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every wait on a client ends: slow heads, idle connections, stalled bodies, clients that stop reading. */
class ClientTimeoutTest {

    static OriginServer origin;
    static TestProxy proxy;

    @BeforeAll
    static void start() {
        origin = OriginServer.start("o");
        proxy = TestProxy.start("""
                listen: 127.0.0.1:0
                timeouts: { header: 2s, keep_alive: 700ms, body: 700ms, write: 1s }
                limits: { max_connections_per_ip: 0 }
                pools: { o: { backends: [127.0.0.1:%d] } }
                routes: [ { pool: o } ]
                """.formatted(origin.port()));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        origin.close();
    }

    @Test
    void fiveHundredSlowlorisConnectionsAreCutAtTheHeaderTimeoutAndDoNotStopANormalClient() throws Exception {
        int n = 500;
        byte[] head = "GET / HTTP/1.1\r\nHost: slow.test\r\nX-Padding: aaaaaaaaaaaaaaaaaaaa\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> slow = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                slow.add(threads.submit(() -> {
                    try (WireClient c = new WireClient(proxy.port())) {
                        long t0 = System.nanoTime();
                        for (int b = 0; b < head.length; b++) {
                            try {
                                c.send(new byte[] {head[b]});
                            } catch (SocketException e) {
                                break; // closed by the proxy
                            }
                            if (c.input().available() > 0) {
                                break;
                            }
                            Thread.sleep(1000); // one header byte a second
                        }
                        String answer = RawServer.readHead(c.input());
                        return ((System.nanoTime() - t0) / 1_000_000) + "ms " + answer.split("\r\n", 2)[0];
                    }
                }));
            }
            Thread.sleep(500);
            // meanwhile a normal client is served promptly
            try (WireClient normal = new WireClient(proxy.port())) {
                for (int i = 0; i < 10; i++) {
                    long t0 = System.nanoTime();
                    assertThat(normal.send(WireClient.get("ok.test", "/")).read().status()).isEqualTo(200);
                    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1000);
                }
            }
            for (Future<String> f : slow) {
                String outcome = f.get(20, TimeUnit.SECONDS);
                assertThat(outcome).endsWith("HTTP/1.1 408 Request Timeout");
                long millis = Long.parseLong(outcome.substring(0, outcome.indexOf("ms")));
                assertThat(millis).as(outcome).isBetween(1500L, 8000L);
            }
        }
        assertThat(origin.uris()).doesNotContain("slow.test");
    }

    @Test
    void anIdleKeepAliveConnectionClosesQuietly() throws Exception {
        try (WireClient c = new WireClient(proxy.port())) {
            assertThat(c.send(WireClient.get("k.test", "/")).read().status()).isEqualTo(200);
            long t0 = System.nanoTime();
            assertThat(c.input().read()).as("closed without a word").isEqualTo(-1);
            assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(500L, 3000L);
        }
    }

    @Test
    void aBodyReadInSeveralPiecesDoesNotLookLikeASlowHeadAfterwards() throws Exception {
        try (WireClient c = new WireClient(proxy.port())) {
            c.send("POST /upload HTTP/1.1\r\nHost: k.test\r\nContent-Length: 6\r\n\r\nabc");
            Thread.sleep(100);
            c.send("def"); // the body's second read
            assertThat(c.read().status()).isEqualTo(200);
            long t0 = System.nanoTime();
            // idle now: closed quietly at keep_alive, not answered 408 as a head that never came
            assertThat(c.input().read()).isEqualTo(-1);
            assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(500L, 1800L);
        }
    }

    @Test
    void aStalledRequestBodyGets408() throws Exception {
        try (WireClient c = new WireClient(proxy.port())) {
            c.send("POST /upload HTTP/1.1\r\nHost: b.test\r\nContent-Length: 10\r\n\r\nabc");
            Response r = c.read();
            assertThat(r.status()).isEqualTo(408);
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void aClientThatReadsNothingIsCutOffAtTheWriteTimeout() throws Exception {
        long size = 200L * 1024 * 1024;
        try (WireClient c = new WireClient(proxy.port())) {
            c.socket().setReceiveBufferSize(16 * 1024);
            c.send(WireClient.get("w.test", "/bytes/" + size));
            Thread.sleep(3500); // reads nothing: the proxy's writes back up, then it gives up
            InputStream in = c.input();
            long got = 0;
            byte[] buf = new byte[64 * 1024];
            try {
                for (int r; (r = in.read(buf)) > 0; ) {
                    got += r;
                }
            } catch (IOException e) {
                // reset: also cut off
            }
            assertThat(got).as("cut off long before the end").isLessThan(size);
        }
    }

}
