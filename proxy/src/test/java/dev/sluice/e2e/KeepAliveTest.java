package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.OriginServer;
import dev.sluice.testing.RawServer;
import dev.sluice.testing.TestProxy;
import dev.sluice.testing.WireClient;
import dev.sluice.testing.WireClient.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Keep-alive, pipelining and the headers that belong to one hop. */
class KeepAliveTest {

    OriginServer origin;
    TestProxy proxy;

    @BeforeEach
    void start() {
        origin = OriginServer.start("o");
        proxy = TestProxy.toOne(origin.port());
    }

    @AfterEach
    void stop() {
        proxy.close();
        origin.close();
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws IOException {
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            batch.append(WireClient.get("p.test", "/req/" + i));
        }
        try (WireClient c = new WireClient(proxy.port())) {
            c.send(batch.toString()); // all 16 in one write
            for (int i = 0; i < 16; i++) {
                Response r = c.read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.echoed("uri")).isEqualTo("/req/" + i);
            }
        }
    }

    @Test
    void pipelinedRequestsWithBodiesAndHeadStayInOrder() throws IOException {
        String batch = "POST /a HTTP/1.1\r\nHost: p.test\r\nContent-Length: 5\r\n\r\nhello"
                + "HEAD /b HTTP/1.1\r\nHost: p.test\r\n\r\n"
                + "POST /c HTTP/1.1\r\nHost: p.test\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
                + WireClient.get("p.test", "/d");
        try (WireClient c = new WireClient(proxy.port())) {
            c.send(batch);
            assertThat(c.read().echoed("uri")).isEqualTo("/a");
            Response head = c.readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(c.read().echoed("uri")).isEqualTo("/c");
            assertThat(c.read().echoed("uri")).isEqualTo("/d");
        }
    }

    @Test
    void upstreamConnectionsAreReused() throws IOException {
        for (int client = 0; client < 5; client++) {
            try (WireClient c = new WireClient(proxy.port())) {
                for (int i = 0; i < 20; i++) {
                    assertThat(c.send(WireClient.get("r.test", "/")).read().status()).isEqualTo(200);
                }
            }
        }
        assertThat(origin.requests()).isEqualTo(100);
        // Sequential clients on up to two event loops: one or two upstream connections in all.
        assertThat(origin.connections()).isBetween(1, 2);
    }

    @Test
    void hopByHopHeadersAreRemovedAndForwardedHeadersAdded() throws IOException {
        try (WireClient c = new WireClient(proxy.port())) {
            Response r = c.send("GET /h HTTP/1.1\r\nHost: Fwd.Test\r\n"
                    + "Connection: keep-alive, X-Secret-Hop\r\nX-Secret-Hop: 1\r\nKeep-Alive: timeout=5\r\n"
                    + "Proxy-Connection: keep-alive\r\nTE: trailers\r\nUpgrade: websocket\r\nTrailer: X-T\r\n"
                    + "X-Forwarded-For: 203.0.113.7\r\nX-Forwarded-Proto: https\r\nX-End-To-End: kept\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            for (String hop : new String[] {"connection", "x-secret-hop", "keep-alive", "proxy-connection", "te",
                "upgrade", "trailer"}) {
                assertThat(r.seenHeader(hop)).as(hop).isEmpty();
            }
            assertThat(r.seenHeader("x-end-to-end")).containsExactly("kept");
            assertThat(r.seenHeader("host")).containsExactly("Fwd.Test");
            assertThat(r.seenHeader("x-forwarded-for")).containsExactly("203.0.113.7, 127.0.0.1");
            assertThat(r.seenHeader("x-forwarded-proto")).containsExactly("http");
            assertThat(r.seenHeader("x-forwarded-host")).containsExactly("Fwd.Test");
            assertThat(r.seenHeader("forwarded")).containsExactly("for=127.0.0.1;proto=http;host=\"Fwd.Test\"");
        }
    }

    @Test
    void everyForwardedForLineIsKept() throws IOException {
        try (WireClient c = new WireClient(proxy.port())) {
            Response r = c.send("GET / HTTP/1.1\r\nHost: f.test\r\nX-Forwarded-For: 203.0.113.1\r\n"
                    + "X-Forwarded-For: 203.0.113.2, 203.0.113.3\r\nForwarded: for=203.0.113.1\r\n\r\n").read();
            assertThat(r.seenHeader("x-forwarded-for"))
                    .containsExactly("203.0.113.1, 203.0.113.2, 203.0.113.3, 127.0.0.1");
            assertThat(r.seenHeader("forwarded")).containsExactly("for=203.0.113.1, for=127.0.0.1;proto=http;host=\"f.test\"");
        }
    }

    @Test
    void hopByHopResponseHeadersAreRemoved() throws IOException {
        try (RawServer raw = RawServer.start(s -> {
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    while (!RawServer.readHead(in).isEmpty()) {
                        out.write(("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: X-Private\r\nX-Private: 1\r\n"
                                + "Keep-Alive: timeout=99\r\nX-Public: 1\r\n\r\nok").getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                });
                TestProxy p = TestProxy.toOne(raw.port());
                WireClient c = new WireClient(p.port())) {
            Response r = c.send(WireClient.get("x.test", "/")).read();
            assertThat(r.header("x-private")).isNull();
            assertThat(r.header("keep-alive")).isNull();
            assertThat(r.header("connection")).isNull();
            assertThat(r.header("x-public")).isEqualTo("1");
        }
    }

    @Test
    void connectionCloseFromTheClientIsHonoured() throws IOException {
        try (WireClient c = new WireClient(proxy.port())) {
            Response r = c.send("GET / HTTP/1.1\r\nHost: c.test\r\nConnection: close\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("connection")).isEqualTo("close");
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void http10ClientsGetKeepAliveOnlyWhenTheyAsk() throws IOException {
        try (WireClient c = new WireClient(proxy.port())) {
            Response r = c.send("GET /a HTTP/1.0\r\nHost: h.test\r\nConnection: keep-alive\r\n\r\n").read();
            assertThat(r.header("connection")).isEqualToIgnoringCase("keep-alive");
            Response chunked = c.send("GET /chunked/100 HTTP/1.0\r\nHost: h.test\r\nConnection: keep-alive\r\n\r\n")
                    .read();
            // chunked is not for HTTP/1.0: the body ends with the connection
            assertThat(chunked.header("transfer-encoding")).isNull();
            assertThat(chunked.body()).hasSize(100);
        }
        try (WireClient c = new WireClient(proxy.port())) {
            Response r = c.send("GET /b HTTP/1.0\r\nHost: h.test\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void expectContinueIsRelayed() throws IOException {
        try (WireClient c = new WireClient(proxy.port())) {
            c.send("POST /upload HTTP/1.1\r\nHost: e.test\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            // The origin (the JDK's server) answers 100 Continue before reading the body.
            String interim = RawServer.readHead(c.input());
            assertThat(interim).startsWith("HTTP/1.1 100");
            c.send("hello");
            Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).startsWith("5 ");
            // the HEAD bookkeeping survived the interim response
            assertThat(c.send("HEAD /x HTTP/1.1\r\nHost: e.test\r\n\r\n").readHead().status()).isEqualTo(200);
            assertThat(c.send(WireClient.get("e.test", "/y")).read().echoed("uri")).isEqualTo("/y");
        }
    }
}
