package dev.sluice.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.RawServer;
import dev.sluice.testing.RefusingPort;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Each way a transfer fails ends as a Failure with curl's exit code, never as an exception. */
class ClientFailureTest {

    private static Transfer send(String... curlArgs) throws CurlException {
        return Client.create().send(ClientTest.spec(curlArgs));
    }

    private static RawServer answering(String raw) {
        return RawServer.start(s -> {
            RawServer.readHead(s.getInputStream());
            s.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
        });
    }

    /** Sends {@code raw}, then nothing more for ten seconds. */
    private static RawServer answeringThenSilent(String raw) {
        return RawServer.start(s -> {
            RawServer.readHead(s.getInputStream());
            s.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
            Thread.sleep(10_000);
        });
    }

    @Test
    void connectionRefused() throws Exception {
        try (RefusingPort port = RefusingPort.open()) {
            Transfer t = send("http://127.0.0.1:" + port.port() + "/");

            assertThat(t.exitCode()).isEqualTo(7);
            assertThat(t.failure().message()).startsWith("Failed to connect to 127.0.0.1 port " + port.port())
                    .endsWith("Connection refused");
            Exchange e = t.last().orElseThrow();
            assertThat(e.remote()).isNull();
            assertThat(e.sent().isEmpty()).isTrue();
            assertThat(e.timings().dns()).isNotNull();
            assertThat(e.timings().connect()).isNull();
        }
    }

    @Test
    void aNameThatDoesNotResolve() throws CurlException {
        Transfer t = send("http://no-such-host.invalid/");

        assertThat(t.exitCode()).isEqualTo(6);
        assertThat(t.failure().message()).isEqualTo("Could not resolve host: no-such-host.invalid");
    }

    @Test
    void aProxyThatDoesNotResolve() throws CurlException {
        assertThat(send("-x", "no-such-proxy.invalid:3128", "http://127.0.0.1/").exitCode()).isEqualTo(5);
    }

    @Test
    void aResolverThatDoesNotAnswerInTime() throws CurlException {
        CountDownLatch never = new CountDownLatch(1);
        Client slowDns = Client.using(host -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new UnknownHostException(host);
        });

        Transfer t = slowDns.send(ClientTest.spec("--connect-timeout", "0.3", "http://slow.example/"));

        assertThat(t.exitCode()).isEqualTo(28);
        assertThat(t.failure().message()).startsWith("Resolving timed out after");
        never.countDown();
    }

    @Test
    void eachAddressIsTriedInTurn() throws Exception {
        try (RawServer server = answering("HTTP/1.1 204 No Content\r\n\r\n")) {
            // The server listens on 127.0.0.1 only: on 127.0.0.2 its port refuses.
            Client twoAddresses = Client.using(host -> List.of(InetAddress.getByName("127.0.0.2"),
                    InetAddress.getByName("127.0.0.1")));
            Transfer t = twoAddresses.send(ClientTest.spec("http://two.example:" + server.port() + "/"));

            assertThat(t.failure()).isNull();
            assertThat(t.last().orElseThrow().remote().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void anEmptyReply() throws Exception {
        try (RawServer server = RawServer.start(s -> RawServer.readHead(s.getInputStream()))) {
            Transfer t = send("http://127.0.0.1:" + server.port() + "/");

            assertThat(t.exitCode()).isEqualTo(52);
            assertThat(t.failure().message()).isEqualTo("Empty reply from server");
            assertThat(t.last().orElseThrow().sent().isEmpty()).isFalse();
        }
    }

    @Test
    void somethingThatIsNotHttp() throws Exception {
        try (RawServer server = answering("SSH-2.0-OpenSSH_9.2\r\n")) {
            Transfer t = send("http://127.0.0.1:" + server.port() + "/");

            assertThat(t.exitCode()).isEqualTo(8);
            assertThat(t.failure().message()).contains("\"SSH-2.0-OpenSSH_9.2\"");
            assertThat(t.last().orElseThrow().received().utf8()).isEqualTo("SSH-2.0-OpenSSH_9.2\r\n");
        }
    }

    @Test
    void aBodyCutShortKeepsWhatCame() throws Exception {
        try (RawServer server = answering("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")) {
            Transfer t = send("http://127.0.0.1:" + server.port() + "/");

            assertThat(t.exitCode()).isEqualTo(18);
            assertThat(t.failure().message()).isEqualTo("transfer closed with 7 bytes remaining to read");
            assertThat(t.response().orElseThrow().body().utf8()).isEqualTo("abc");
            assertThat(t.response().orElseThrow().complete()).isFalse();
        }
    }

    @Test
    void aBodyLargerThanMaxFilesize() throws Exception {
        try (RawServer server = answering("HTTP/1.1 200 OK\r\nContent-Length: 2000\r\n\r\n")) {
            Transfer t = send("--max-filesize", "1k", "http://127.0.0.1:" + server.port() + "/");

            assertThat(t.exitCode()).isEqualTo(63);
            assertThat(t.response().orElseThrow().status()).isEqualTo(200);
        }
        try (RawServer server = answering("HTTP/1.1 200 OK\r\n\r\n" + "x".repeat(3000))) {
            assertThat(send("--max-filesize", "1k", "http://127.0.0.1:" + server.port() + "/").exitCode()).isEqualTo(63);
        }
    }

    @Test
    void aServerThatGoesQuietIsGivenUpAfterTheStallTime() throws Exception {
        try (RawServer server = answeringThenSilent("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab")) {
            Transfer t = send("-y", "0.4", "http://127.0.0.1:" + server.port() + "/");

            assertThat(t.exitCode()).isEqualTo(28);
            assertThat(t.failure().message()).startsWith("No data moved for 400 ms (-y/--speed-time)");
        }
    }

    @Test
    void maxTimeCoversTheWholeTransfer() throws Exception {
        try (RawServer server = answeringThenSilent("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nsome")) {
            long t0 = System.nanoTime();
            Transfer t = send("-m", "0.5", "http://127.0.0.1:" + server.port() + "/");

            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            assertThat(t.failure().kind()).isEqualTo(Failure.Kind.TIMEOUT);
            assertThat(t.failure().message()).startsWith("Operation timed out after").endsWith("bytes received");
            assertThat(t.exitCode()).isEqualTo(28);
            Response partial = t.response().orElseThrow();
            assertThat(partial.complete()).isFalse();
            assertThat(partial.body().utf8()).isEqualTo("some");
        }
    }

    @Test
    void http2IsRefusedClearly() throws CurlException {
        Transfer t = send("--http2", "http://127.0.0.1:9/");

        assertThat(t.exitCode()).isEqualTo(4);
        assertThat(t.failure().message()).isEqualTo("HTTP/2 (--http2) is not implemented in sluice inspect yet: it sends"
                + " HTTP/1.1 and HTTP/1.0; drop --http2 to send HTTP/1.1");
        assertThat(t.exchanges()).isEmpty();
    }

    @Test
    void interruptingTheSendingThreadCancels() throws Exception {
        CountDownLatch requested = new CountDownLatch(1);
        try (RawServer server = RawServer.start(s -> {
            RawServer.readHead(s.getInputStream());
            requested.countDown();
            Thread.sleep(10_000);
        })) {
            AtomicReference<Transfer> result = new AtomicReference<>();
            Thread sender = Thread.ofVirtual().start(() -> {
                try {
                    result.set(send("http://127.0.0.1:" + server.port() + "/"));
                } catch (CurlException e) {
                    throw new AssertionError(e);
                }
            });
            requested.await();
            sender.interrupt();
            sender.join(Duration.ofSeconds(5));

            assertThat(result.get().exitCode()).isEqualTo(42);
        }
    }
}
