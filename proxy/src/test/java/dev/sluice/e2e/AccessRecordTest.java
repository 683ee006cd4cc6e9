package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpHandler;
import dev.sluice.accesslog.AccessRecord;
import dev.sluice.testing.OriginServer;
import dev.sluice.testing.TestProxy;
import dev.sluice.testing.WireClient;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The record of each request counts the wire bytes its client sent and received, to the byte,
 * whatever the framing: the client counts them too, and the two must agree.
 */
class AccessRecordTest {

    private final LinkedBlockingQueue<AccessRecord> records = new LinkedBlockingQueue<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private OriginServer origin;
    private TestProxy proxy;

    @BeforeEach
    void start() {
        origin = OriginServer.start("origin", Map.of(
                "/not-modified", (HttpHandler) ex -> {
                    ex.getResponseHeaders().set("ETag", "\"v1\"");
                    ex.sendResponseHeaders(304, -1);
                    ex.close();
                },
                "/stall", (HttpHandler) ex -> {
                    // Half a body, then nothing until the test lets go.
                    ex.sendResponseHeaders(200, 10_000);
                    OutputStream body = ex.getResponseBody();
                    body.write(new byte[4_000]);
                    body.flush();
                    try {
                        release.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    ex.close();
                }));
        proxy = TestProxy.start("""
                listen: 127.0.0.1:0
                pools: { web: { backends: [127.0.0.1:%d] } }
                routes: [ { host: app.test, pool: web } ]
                """.formatted(origin.port()), records::add);
    }

    @AfterEach
    void stop() {
        release.countDown();
        proxy.close();
        origin.close();
    }

    @Test
    void plainChunkedHeadAndNotModifiedResponsesAreCountedExactly() throws Exception {
        try (WireClient c = new WireClient(proxy.port())) {
            for (String request : List.of(
                    WireClient.get("app.test", "/bytes/1000"),
                    WireClient.get("app.test", "/chunked/5000"),
                    "HEAD /bytes/1000 HTTP/1.1\r\nHost: app.test\r\nUser-Agent: probe/1\r\n\r\n",
                    "GET /not-modified HTTP/1.1\r\nHost: app.test\r\nIf-None-Match: \"v1\"\r\n\r\n",
                    "POST /upload HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                            + "5;x=y\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")) {
                long sent = c.bytesSent();
                long read = c.bytesRead();
                c.send(request);
                WireClient.Response r = request.startsWith("HEAD") ? c.readHead() : c.read();
                AccessRecord rec = next();
                assertThat(rec.status()).isEqualTo(r.status());
                assertThat(rec.bytesIn()).as(request).isEqualTo(c.bytesSent() - sent);
                assertThat(rec.bytesOut()).as(request).isEqualTo(c.bytesRead() - read);
                assertThat(rec.termination()).isEqualTo("ok");
                assertThat(rec.upstreamBytesOut()).isPositive();
                assertThat(rec.upstreamBytesIn()).isPositive();
                assertThat(rec.route()).isEqualTo("app.test/");
                assertThat(rec.pool()).isEqualTo("web");
                assertThat(rec.backend()).isEqualTo("127.0.0.1:" + origin.port());
                assertThat(rec.host()).isEqualTo("app.test");
                assertThat(rec.requestId()).hasSize(32);
            }
        }
    }

    @Test
    void theRequestIdGoesUpstreamAndIntoTheRecord() throws Exception {
        try (WireClient c = new WireClient(proxy.port())) {
            String echo = c.send(WireClient.get("app.test", "/")).read().text();
            assertThat(echo).contains("header: x-request-id: " + next().requestId() + "\n");

            String own = c.send("GET / HTTP/1.1\r\nHost: app.test\r\nX-Request-Id: trace-42\r\n\r\n").read().text();
            assertThat(own).contains("header: x-request-id: trace-42\n");
            assertThat(next().requestId()).isEqualTo("trace-42");
        }
    }

    @Test
    void pipelinedRequestsAreEachCountedExactly() throws Exception {
        List<String> requests = List.of(
                "POST /upload HTTP/1.1\r\nHost: app.test\r\nContent-Length: 5\r\n\r\nhello",
                WireClient.get("app.test", "/bytes/70000"),
                "HEAD /bytes/10 HTTP/1.1\r\nHost: app.test\r\n\r\n",
                WireClient.get("nowhere.test", "/"),
                "POST /upload HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
                WireClient.get("app.test", "/chunked/3"));
        try (WireClient c = new WireClient(proxy.port())) {
            c.send(String.join("", requests)); // all in one write
            List<Long> sizes = new ArrayList<>();
            for (String request : requests) {
                long read = c.bytesRead();
                if (request.startsWith("HEAD")) {
                    c.readHead();
                } else {
                    c.read();
                }
                sizes.add(c.bytesRead() - read);
            }
            for (int i = 0; i < requests.size(); i++) {
                AccessRecord rec = next();
                assertThat(rec.bytesIn()).as(requests.get(i)).isEqualTo(requests.get(i).length());
                assertThat(rec.bytesOut()).as(requests.get(i)).isEqualTo(sizes.get(i));
            }
        }
    }

    @Test
    void aClientThatLeavesMidResponseIsCountedForWhatItGot() throws Exception {
        WireClient c = new WireClient(proxy.port());
        String request = WireClient.get("app.test", "/stall");
        c.send(request);
        // Everything the proxy had to send has arrived once nothing more comes for a while.
        c.socket().setSoTimeout(500);
        byte[] buf = new byte[65536];
        long got = 0;
        try {
            for (int n; (n = c.input().read(buf)) > 0; ) {
                got += n;
            }
        } catch (SocketTimeoutException quiet) {
            // all there is
        }
        c.close();

        AccessRecord rec = next();
        assertThat(rec.termination()).isEqualTo("client_abort");
        assertThat(rec.status()).isEqualTo(200);
        assertThat(rec.bytesIn()).isEqualTo(request.length());
        assertThat(got).isGreaterThan(4_000);
        assertThat(rec.bytesOut()).isEqualTo(got);
    }

    @Test
    void refusedRequestsAndConnectionsWithoutOneAreCounted() throws Exception {
        try (WireClient c = new WireClient(proxy.port())) {
            String bad = "GET / HTTP/1.1\r\nHost: app.test\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n";
            c.send(bad);
            c.read();
            AccessRecord rec = next();
            assertThat(rec.status()).isEqualTo(400);
            assertThat(rec.bytesIn()).isEqualTo(bad.length());
            assertThat(rec.bytesOut()).isEqualTo(c.bytesRead());
            assertThat(rec.termination()).isEqualTo("client_bad_request");
        }
        try (WireClient c = new WireClient(proxy.port())) {
            c.send("GET / HT"); // and leaves
        }
        AccessRecord rec = next();
        assertThat(rec.method()).isEqualTo("-");
        assertThat(rec.bytesIn()).isEqualTo(8);
        assertThat(rec.bytesOut()).isZero();
        assertThat(rec.termination()).isEqualTo("client_abort");
    }

    private AccessRecord next() throws InterruptedException {
        AccessRecord rec = records.poll(10, TimeUnit.SECONDS);
        assertThat(rec).as("a record").isNotNull();
        return rec;
    }
}
