package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.testing.Bytes;
import dev.sluice.testing.OriginServer;
import dev.sluice.testing.WireClient;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A proxy of its own under pressure. Short of a resource, past the guard's high mark, it answers new
 * requests 503 and leaves new connections waiting in the backlog, while transfers in flight finish
 * whole; once they have, it takes new work again — the waiting connection first. A client that
 * sends and never reads gets no more read.
 */
class OverloadTest {

    /** Larger than what the kernel buffers between proxy and a slow client, so the proxy holds some. */
    private static final int BODY = 4 << 20;

    @TempDir
    Path dir;
    private OriginServer origin;
    private final List<WireClient> clients = new ArrayList<>();

    @BeforeEach
    void startOrigin() {
        origin = OriginServer.start("origin");
    }

    @AfterEach
    void closeAll() throws IOException {
        for (WireClient c : clients) {
            c.close();
        }
        origin.close();
    }

    @Test
    void shortOfDirectMemoryItShedsNewWorkWhileTransfersInFlightFinish() throws Exception {
        int port = CliTest.freePorts(1)[0];
        Path config = config(port, "{memory_high: 25%, memory_low: 10%}");
        try (SluiceProcess proxy = SluiceProcess.start(List.of(), List.of("-XX:MaxDirectMemorySize=32m"),
                "serve", "--config", config.toString())) {
            proxy.awaitOutput("listening on", Duration.ofSeconds(20));
            List<WireClient> probes = probes(port, 3);
            // Slow readers of large responses, until the buffers they hold pass the high mark (8 MiB).
            List<WireClient> slow = new ArrayList<>();
            WireClient.Response refused = null;
            while (refused == null) {
                assertThat(slow).as("the guard sheds before 400 slow readers; output:\n" + proxy.output())
                        .hasSizeLessThan(400);
                for (int i = 0; i < 10; i++) {
                    WireClient c = keep(WireClient.withReceiveBuffer(4096, port));
                    c.send(WireClient.get("app", "/bytes/" + BODY));
                    slow.add(c);
                }
                Thread.sleep(300); // the guard samples every 100 ms
                WireClient.Response r = probes.getFirst().send(WireClient.get("app", "/bytes/10")).read();
                if (r.status() == 503) {
                    refused = r;
                    probes.removeFirst();
                } else {
                    assertThat(r.status()).isEqualTo(200);
                }
            }

            assertThat(refused.header("retry-after")).isEqualTo("1");
            assertThat(refused.header("connection")).isEqualTo("close");
            assertThat(proxy.output()).contains("overloaded: buffer memory");
            // An idle connection's next request is shed too.
            assertThat(probes.getFirst().send(WireClient.get("app", "/bytes/10")).read().status()).isEqualTo(503);
            WireClient waiting = waitingInTheBacklog(port);

            readAllWhole(slow);

            waiting.socket().setSoTimeout(20_000);
            assertThat(waiting.read().status()).as("the connection that waited is served").isEqualTo(200);
            proxy.awaitOutput("overload_recovered", Duration.ofSeconds(10));
            assertThat(keep(new WireClient(port)).send(WireClient.get("app", "/bytes/10")).read().status())
                    .isEqualTo(200);
            assertThat(proxy.output()).doesNotContain("OutOfDirectMemoryError").doesNotContain("OutOfMemoryError");
        }
    }

    @Test
    void shortOfFileDescriptorsItStopsAcceptingUntilConnectionsClose() throws Exception {
        int port = CliTest.freePorts(1)[0];
        Path config = config(port, "{fds_high: 60%, fds_low: 45%}");
        try (SluiceProcess proxy = SluiceProcess.start(List.of("prlimit", "--nofile=400:400", "--"), List.of(),
                "serve", "--config", config.toString())) {
            proxy.awaitOutput("listening on", Duration.ofSeconds(20));
            List<WireClient> probes = probes(port, 2);
            // Idle connections hold a descriptor each, until the process holds 60% of its 400.
            List<WireClient> idle = new ArrayList<>();
            int status = 200;
            while (status == 200) {
                assertThat(idle).as("the guard sheds before 300 idle connections; output:\n" + proxy.output())
                        .hasSizeLessThan(300);
                for (int i = 0; i < 10; i++) {
                    idle.add(keep(new WireClient(port)));
                }
                Thread.sleep(300);
                status = probes.getFirst().send(WireClient.get("app", "/bytes/10")).read().status();
            }
            assertThat(status).isEqualTo(503);
            assertThat(proxy.output()).contains("overloaded: buffer memory").contains("file descriptors");
            WireClient waiting = waitingInTheBacklog(port);

            for (WireClient c : idle) {
                c.close();
            }

            waiting.socket().setSoTimeout(20_000);
            assertThat(waiting.read().status()).as("the connection that waited is served").isEqualTo(200);
            proxy.awaitOutput("overload_recovered", Duration.ofSeconds(10));
        }
    }

    @Test
    void aClientThatPipelinesAndReadsNothingIsReadNoFurther() throws Exception {
        int port = CliTest.freePorts(1)[0];
        Path config = Files.writeString(dir.resolve("sluice.yaml"), """
                listen: 127.0.0.1:%d
                pools: { web: { backends: [127.0.0.1:%d] } }
                routes: [ { host: app.test, pool: web } ]
                """.formatted(port, origin.port()));
        try (SluiceProcess proxy = SluiceProcess.start("serve", "--config", config.toString())) {
            proxy.awaitOutput("listening on", Duration.ofSeconds(20));
            // Answered by the proxy itself (404), so no backend's pace holds the requests back.
            byte[] request = WireClient.get("nowhere.test", "/").getBytes(StandardCharsets.ISO_8859_1);
            WireClient c = keep(WireClient.withReceiveBuffer(4096, port));
            AtomicLong written = new AtomicLong();
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    while (written.get() < 256 << 20) {
                        c.socket().getOutputStream().write(request);
                        written.addAndGet(request.length);
                    }
                } catch (IOException closed) {
                    // the test ends by closing the socket
                }
            });
            // Until the writer blocks: the proxy stopped reading, and the socket buffers between are full.
            long last = -1;
            for (int i = 0; i < 60 && written.get() != last; i++) {
                last = written.get();
                Thread.sleep(1000);
            }
            assertThat(written.get()).as("request bytes the proxy took while its answers went unread")
                    .isLessThan(32 << 20);
            c.close();
            writer.join(5000);
        }
    }

    private Path config(int port, String overload) throws IOException {
        return Files.writeString(dir.resolve("sluice.yaml"), """
                listen: 127.0.0.1:%d
                pools: { web: { backends: [127.0.0.1:%d] } }
                routes: [ { pool: web } ]
                limits:
                  overload: %s
                """.formatted(port, origin.port(), overload));
    }

    /**
     * A new connection, once the proxy sheds: the accept the listener had already asked for still
     * completes, and that connection's request gets 503; the next one waits, unanswered.
     */
    private WireClient waitingInTheBacklog(int port) throws IOException {
        WireClient straggler = keep(new WireClient(port));
        assertThat(straggler.send(WireClient.get("app", "/bytes/10")).read().status()).isEqualTo(503);
        WireClient waiting = keep(new WireClient(port));
        waiting.send(WireClient.get("app", "/bytes/10"));
        waiting.socket().setSoTimeout(1000);
        assertThatThrownBy(waiting::read).isInstanceOf(SocketTimeoutException.class);
        return waiting;
    }

    /** Keep-alive connections that have had one request answered, to ask again later. */
    private List<WireClient> probes(int port, int n) throws IOException {
        List<WireClient> probes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            WireClient c = keep(new WireClient(port));
            assertThat(c.send(WireClient.get("app", "/bytes/10")).read().status()).isEqualTo(200);
            probes.add(c);
        }
        return probes;
    }

    /** Each slow reader now reads its whole response: every byte, as the origin sent it. */
    private static void readAllWhole(List<WireClient> slow) throws Exception {
        try (ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<WireClient.Response>> responses = new ArrayList<>();
            for (WireClient c : slow) {
                responses.add(readers.submit(c::read));
            }
            for (Future<WireClient.Response> f : responses) {
                WireClient.Response r = f.get();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body()).hasSize(BODY);
                assertThat(Bytes.sha256().digest(r.body())).isEqualTo(Bytes.patternDigest(BODY));
            }
        }
    }

    private WireClient keep(WireClient c) {
        clients.add(c);
        return c;
    }
}
