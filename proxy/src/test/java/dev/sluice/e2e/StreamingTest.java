package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.Bytes;
import dev.sluice.testing.OriginServer;
import dev.sluice.testing.RawServer;
import dev.sluice.testing.TestProxy;
import dev.sluice.testing.WireClient;
import dev.sluice.testing.WireClient.Response;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bodies stream through in both directions, with backpressure, and never come out wrong. */
class StreamingTest {

    static OriginServer origin;
    static TestProxy proxy;

    @BeforeAll
    static void start() {
        origin = OriginServer.start("big");
        proxy = TestProxy.toOne(origin.port());
    }

    @AfterAll
    static void stop() {
        proxy.close();
        origin.close();
    }

    @Test
    void hugeResponseToAClientThatStopsReadingArrivesIntactWithBoundedMemory() throws Exception {
        long size = 300L * 1024 * 1024;
        long written0 = origin.bodyBytesWritten();
        try (WireClient c = new WireClient(proxy.port())) {
            c.socket().setReceiveBufferSize(64 * 1024);
            c.send(WireClient.get("big.test", "/bytes/" + size));
            InputStream in = c.input();
            String head = RawServer.readHead(in);
            assertThat(head.toLowerCase()).startsWith("http/1.1 200").contains("content-length: " + size);

            // The client reads nothing for 3 seconds. Backpressure must hold the origin back,
            // instead of the proxy soaking up the response.
            Thread.sleep(3000);
            long direct = directMemoryInUse();
            long sentWhilePaused = origin.bodyBytesWritten() - written0;
            assertThat(sentWhilePaused).as("origin bytes written while the client was paused")
                    .isLessThan(64L * 1024 * 1024);
            assertThat(direct).as("proxy direct memory while the client was paused")
                    .isLessThan(32L * 1024 * 1024);

            Bytes.Digest got = Bytes.digest(new LimitedInput(in, size));
            assertThat(got.length()).isEqualTo(size);
            assertThat(got.sha256()).isEqualTo(Bytes.patternDigest(size));
        }
    }

    @Test
    void chunkedUploadArrivesIntact() throws IOException {
        long size = 20L * 1024 * 1024;
        try (WireClient c = new WireClient(proxy.port())) {
            c.send("POST /upload HTTP/1.1\r\nHost: up.test\r\nTransfer-Encoding: chunked\r\n\r\n");
            OutputStream out = c.socket().getOutputStream();
            byte[] block = new byte[100_003]; // odd sizes: chunk borders fall anywhere
            long sent = 0;
            while (sent < size) {
                int len = (int) Math.min(block.length, size - sent);
                for (int i = 0; i < len; i++) {
                    block[i] = Bytes.pattern(sent + i);
                }
                out.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(block, 0, len);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                sent += len;
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo(size + " " + HexFormat.of().formatHex(Bytes.patternDigest(size)));
        }
    }

    @Test
    void chunkedResponseIsPassedOnChunked() throws IOException {
        try (WireClient c = new WireClient(proxy.port())) {
            Response r = c.send(WireClient.get("big.test", "/chunked/1000000")).read();
            assertThat(r.header("transfer-encoding")).isEqualTo("chunked");
            assertThat(r.complete()).isTrue();
            assertThat(Bytes.sha256().digest(r.body())).isEqualTo(Bytes.patternDigest(1_000_000));
            // and the connection goes on
            assertThat(c.send(WireClient.get("big.test", "/bytes/10")).read().body()).hasSize(10);
        }
    }

    @Test
    void backendDyingMidBodyClosesTheClientWithoutCompletingTheMessage() throws IOException {
        try (RawServer dying = RawServer.start(s -> {
                    String head = RawServer.readHead(s.getInputStream());
                    OutputStream out = s.getOutputStream();
                    if (head.contains("/chunked")) {
                        out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n3\r\nwor"
                                .getBytes(StandardCharsets.US_ASCII));
                    } else {
                        out.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly a part of it"
                                .getBytes(StandardCharsets.US_ASCII));
                    }
                    out.flush();
                    s.setSoLinger(true, 0); // and die hard
                });
                TestProxy p = TestProxy.toOne(dying.port())) {
            for (String path : new String[] {"/fixed", "/chunked"}) {
                try (WireClient c = new WireClient(p.port())) {
                    Response r = c.send(WireClient.get("d.test", path)).read();
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(r.complete()).as("a cut-short %s body must not look complete", path).isFalse();
                }
            }
            // and nothing of those exchanges is still counted against the pool or the backend
            var pool = p.control().table().pool("only");
            assertThat(pool.guard().inFlight()).isZero();
            assertThat(pool.balancer().backends()).allSatisfy(b -> assertThat(b.inFlight()).isZero());
        }
    }

    @Test
    void backendClosingBeforeAnsweringGets502() throws IOException {
        try (RawServer rude = RawServer.start(s -> RawServer.readHead(s.getInputStream()));
                TestProxy p = TestProxy.toOne(rude.port());
                WireClient c = new WireClient(p.port())) {
            Response r = c.send(WireClient.get("d.test", "/")).read();
            assertThat(r.status()).isEqualTo(502);
        }
    }

    @Test
    void closeDelimitedResponseIsChunkedForTheClient() throws IOException {
        try (RawServer old = RawServer.start(s -> {
                    RawServer.readHead(s.getInputStream());
                    s.getOutputStream().write("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end"
                            .getBytes(StandardCharsets.US_ASCII));
                });
                TestProxy p = TestProxy.toOne(old.port());
                WireClient c = new WireClient(p.port())) {
            Response r = c.send(WireClient.get("d.test", "/")).read();
            assertThat(r.text()).isEqualTo("until the end");
            assertThat(r.header("transfer-encoding")).isEqualTo("chunked");
            assertThat(r.header("connection")).isNull();
            assertThat(c.send(WireClient.get("d.test", "/")).read().text()).isEqualTo("until the end");
        }
    }

    private static long directMemoryInUse() {
        return ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric().usedDirectMemory();
    }

    /** Reads exactly {@code limit} bytes of a stream (the rest is the next response). */
    private static final class LimitedInput extends InputStream {
        private final InputStream in;
        private long left;

        LimitedInput(InputStream in, long limit) {
            this.in = in;
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left == 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
