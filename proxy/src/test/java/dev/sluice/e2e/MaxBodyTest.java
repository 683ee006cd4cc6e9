package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.OriginServer;
import dev.sluice.testing.TestProxy;
import dev.sluice.testing.WireClient;
import dev.sluice.testing.WireClient.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A route's max_body: bigger bodies get 413 and never reach the backend whole. */
class MaxBodyTest {

    static OriginServer origin;
    static TestProxy proxy;

    @BeforeAll
    static void start() {
        origin = OriginServer.start("o");
        proxy = TestProxy.start("""
                listen: 127.0.0.1:0
                pools: { o: { backends: [127.0.0.1:%d] } }
                routes:
                  - path: /small/
                    pool: o
                    max_body: 100
                  - pool: o
                """.formatted(origin.port()));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        origin.close();
    }

    @Test
    void aBodyWithinTheLimitPasses() throws Exception {
        try (WireClient c = new WireClient(proxy.port())) {
            Response r = c.send("POST /small/upload HTTP/1.1\r\nHost: m.test\r\nContent-Length: 50\r\n\r\n"
                    + "x".repeat(50)).read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.echoed("method")).isEqualTo("POST");
        }
    }

    @Test
    void aDeclaredLengthOverTheLimitGets413BeforeAnyByteIsRead() throws Exception {
        int before = origin.requests();
        try (WireClient c = new WireClient(proxy.port())) {
            Response r = c.send("POST /small/upload HTTP/1.1\r\nHost: m.test\r\nContent-Length: 1000\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.text()).contains("larger than 100 bytes");
            assertThat(c.closedByPeer()).isTrue();
        }
        assertThat(origin.requests()).isEqualTo(before);
    }

    @Test
    void aChunkedBodyThatGrowsPastTheLimitGets413() throws Exception {
        try (WireClient c = new WireClient(proxy.port())) {
            Response r = c.send("POST /small/upload HTTP/1.1\r\nHost: m.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "50\r\n" + "y".repeat(80) + "\r\n" + "46\r\n" + "z".repeat(70) + "\r\n0\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(413);
        }
    }

    @Test
    void otherRoutesTakeAnySize() throws Exception {
        try (WireClient c = new WireClient(proxy.port())) {
            Response r = c.send("POST /upload HTTP/1.1\r\nHost: m.test\r\nContent-Length: 1000\r\n\r\n"
                    + "x".repeat(1000)).read();
            assertThat(r.status()).isEqualTo(200);
        }
    }
}
