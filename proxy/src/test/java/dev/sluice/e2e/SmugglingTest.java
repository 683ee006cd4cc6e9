package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.RawServer;
import dev.sluice.testing.TestProxy;
import dev.sluice.testing.WireClient;
import dev.sluice.testing.WireClient.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A request the proxy cannot read one way only gets an error and a closed connection, and the backend
 * receives none of it (RFC 9112 §6.3, §11.2). The origin records every byte that reaches it.
 */
class SmugglingTest {

    private static final String H = "Host: s.test\r\n";
    private static final String POST = "POST / HTTP/1.1\r\n" + H;
    private static final String CHUNKED = POST + "Transfer-Encoding: chunked\r\n\r\n";

    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    RawServer origin;
    TestProxy proxy;

    @BeforeEach
    void start() {
        origin = RawServer.start(this::serve);
        proxy = TestProxy.toOne(origin.port());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        origin.close();
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                // CL.TE, TE.CL: two framings in one head (RFC 9112 §6.1)
                refused("CL.TE", POST + "Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG", 400),
                refused("TE.CL", POST + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n", 400),
                refused("TE with CL 0", POST + "Content-Length: 0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
                // TE.TE: a Transfer-Encoding one parser reads as chunked and another does not
                refused("TE xchunked", POST + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n", 400),
                refused("TE chunked, identity", POST + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n", 400),
                refused("TE identity", POST + "Transfer-Encoding: identity\r\nContent-Length: 0\r\n\r\n", 400),
                refused("TE gzip alone", POST + "Transfer-Encoding: gzip\r\n\r\n", 400),
                refused("TE gzip, chunked", POST + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501),
                refused("TE ,chunked", POST + "Transfer-Encoding: ,chunked\r\n\r\n0\r\n\r\n", 400),
                refused("TE VT chunked", POST + "Transfer-Encoding: \u000bchunked\r\n\r\n0\r\n\r\n", 400),
                refused("TE space before colon", POST + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n", 400),
                refused("TE folded", POST + "Transfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n", 400),
                refused("two TE: chunked, identity",
                        POST + "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n", 400),
                refused("two TE: chunked twice",
                        POST + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
                refused("two TE: gzip, chunked",
                        POST + "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 501),
                refused("TE in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
                // Content-Length that is not one plain number (RFC 9112 §6.3)
                refused("CL twice, same", POST + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello", 400),
                refused("CL twice, different", POST + "Content-Length: 5\r\nContent-Length: 0\r\n\r\nhello", 400),
                refused("CL list", POST + "Content-Length: 5, 5\r\n\r\nhello", 400),
                refused("CL +5", POST + "Content-Length: +5\r\n\r\nhello", 400),
                refused("CL -1", POST + "Content-Length: -1\r\n\r\nhello", 400),
                refused("CL 0x5", POST + "Content-Length: 0x5\r\n\r\nhello", 400),
                refused("CL 5 5", POST + "Content-Length: 5 5\r\n\r\nhello", 400),
                refused("CL overflow", POST + "Content-Length: 99999999999999999999\r\n\r\nhello", 400),
                // chunk-size lines (RFC 9112 §7.1)
                refused("chunk size -1", CHUNKED + "-1\r\nhello\r\n0\r\n\r\n", 400),
                refused("chunk size 0x10", CHUNKED + "0x10\r\n0123456789abcdef\r\n0\r\n\r\n", 400),
                refused("chunk size g", CHUNKED + "g\r\nhello\r\n0\r\n\r\n", 400),
                refused("chunk size overflow", CHUNKED + "fffffffffffffffff1\r\nhello\r\n0\r\n\r\n", 400),
                refused("chunk size empty", CHUNKED + "\r\nhello\r\n0\r\n\r\n", 400),
                refused("chunk size line too long", CHUNKED + "5;" + "a".repeat(9000) + "\r\nhello\r\n0\r\n\r\n", 400),
                refused("chunk size bare CR", CHUNKED + "5\rhello\r\n0\r\n\r\n", 400),
                refused("chunk extension bare LF", CHUNKED + "5;a=b\nc\r\nhello\r\n0\r\n\r\n", 400),
                refused("chunk extension NUL", CHUNKED + "5;\u0000\r\nhello\r\n0\r\n\r\n", 400),
                refused("chunk extension open quote", CHUNKED + "5;a=\"b\r\nhello\r\n0\r\n\r\n", 400),
                refused("chunk data without CRLF", CHUNKED + "5\r\nhelloXX0\r\n\r\n", 400),
                refused("chunk data with bare LF", CHUNKED + "5\r\nhello\n0\r\n\r\n", 400),
                refused("trailer with bare LF", CHUNKED + "0\r\nX: y\n\r\n", 400),
                // line ends and field syntax (RFC 9112 §2.2, §5; RFC 9110 §5.5)
                refused("bare LF line ends", "GET / HTTP/1.1\nHost: s.test\n\n", 400),
                refused("bare CR in request line", "GET / HTTP/1.1\rHost: s.test\r\n\r\n", 400),
                refused("bare CR in value", "GET / HTTP/1.1\r\n" + H + "X: a\rb\r\n\r\n", 400),
                refused("NUL in value", "GET / HTTP/1.1\r\n" + H + "X: a\u0000b\r\n\r\n", 400),
                refused("DEL in value", "GET / HTTP/1.1\r\n" + H + "X: a\u007fb\r\n\r\n", 400),
                refused("space before colon", "GET / HTTP/1.1\r\n" + H + "X : b\r\n\r\n", 400),
                refused("tab before colon", "GET / HTTP/1.1\r\n" + H + "X\t: b\r\n\r\n", 400),
                refused("fold of the first field", "GET / HTTP/1.1\r\n " + H + "\r\n", 400),
                refused("name not a token", "GET / HTTP/1.1\r\n" + H + "X(y: b\r\n\r\n", 400),
                refused("empty name", "GET / HTTP/1.1\r\n" + H + ": b\r\n\r\n", 400),
                // request line (RFC 9112 §3)
                refused("method not a token", "G(T / HTTP/1.1\r\n" + H + "\r\n", 400),
                refused("target with space", "GET /a b HTTP/1.1\r\n" + H + "\r\n", 400),
                refused("target with CTL", "GET /a\u0001 HTTP/1.1\r\n" + H + "\r\n", 400),
                refused("target not ASCII", "GET /\u00e9 HTTP/1.1\r\n" + H + "\r\n", 400),
                refused("target with fragment", "GET /a#b HTTP/1.1\r\n" + H + "\r\n", 400),
                refused("absolute-form with userinfo", "GET http://a@s.test/ HTTP/1.1\r\n" + H + "\r\n", 400),
                refused("absolute-form without host", "GET http:///x HTTP/1.1\r\n" + H + "\r\n", 400),
                refused("absolute-form with space", "GET http://s .test/ HTTP/1.1\r\n" + H + "\r\n", 400),
                refused("authority-form", "GET s.test:80 HTTP/1.1\r\n" + H + "\r\n", 400),
                refused("CONNECT", "CONNECT s.test:443 HTTP/1.1\r\n" + H + "\r\n", 400),
                refused("asterisk-form with GET", "GET * HTTP/1.1\r\n" + H + "\r\n", 400),
                refused("HTTP/0.9 request", "GET /\r\n\r\n", 400),
                refused("HTTP/1.2", "GET / HTTP/1.2\r\n" + H + "\r\n", 505),
                refused("HTTP/2.0", "GET / HTTP/2.0\r\n" + H + "\r\n", 505),
                refused("HTTP/0.9 with a version", "GET / HTTP/0.9\r\n" + H + "\r\n", 505),
                refused("HTTP/1.01", "GET / HTTP/1.01\r\n" + H + "\r\n", 400),
                refused("request line too long", "GET /" + "a".repeat(9000) + " HTTP/1.1\r\n" + H + "\r\n", 414),
                refused("header block too large", "GET / HTTP/1.1\r\n" + H + "X: " + "a".repeat(40_000) + "\r\n\r\n", 431),
                refused("101 header fields", "GET / HTTP/1.1\r\n" + H + "X: a\r\n".repeat(100) + "\r\n", 431));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("refused")
    void isRefusedAndNeverReachesTheBackend(String name, String request, int status) throws Exception {
        try (WireClient c = new WireClient(proxy.port())) {
            Response r = c.send(request).read();
            assertThat(r.status()).isEqualTo(status);
            assertThat(c.closedByPeer()).isTrue();
        }
        assertThat(originReceived()).isEmpty();
    }

    @Test
    void aValidRequestBeforeTheBadOneIsAllTheBackendGets() throws Exception {
        try (WireClient c = new WireClient(proxy.port())) {
            c.send("GET /first HTTP/1.1\r\n" + H + "\r\n"
                    + POST + "Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /second HTTP/1.1\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);
            assertThat(c.read().status()).isEqualTo(400);
            assertThat(c.closedByPeer()).isTrue();
        }
        String seen = originReceived();
        assertThat(seen).startsWith("GET /first HTTP/1.1\r\n").endsWith("\r\n\r\n");
        assertThat(seen.indexOf("\r\n\r\n")).isEqualTo(seen.length() - 4); // one head, nothing after it
    }

    @Test
    void aBadChunkAfterForwardedChunksClosesTheBackendConnection() throws Exception {
        try (WireClient c = new WireClient(proxy.port())) {
            c.send(CHUNKED + "5\r\nhello\r\n");
            while (!originReceived().endsWith("hello\r\n")) {
                Thread.sleep(10);
            }
            Response r = c.send("zz\r\n0\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(c.closedByPeer()).isTrue();
        }
        // The backend's connection ends before the body does: it cannot take the rest for a request.
        String seen = originReceived();
        assertThat(seen.substring(seen.indexOf("\r\n\r\n") + 4)).isEqualTo("5\r\nhello\r\n");
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                accepted("TE Chunked, any case", POST + "Transfer-Encoding: Chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
                        "\r\ntransfer-encoding: chunked\r\n"),
                accepted("TE with OWS around it", POST + "Transfer-Encoding: \t chunked\t\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
                        "\r\ntransfer-encoding: chunked\r\n"),
                accepted("chunk extension", CHUNKED + "5;name=value\r\nhello\r\n0\r\n\r\n", "\r\n5\r\nhello\r\n0\r\n\r\n"),
                accepted("chunk extension quoted, BWS", CHUNKED + "5 ; a=\"b c\"\r\nhello\r\n0\r\n\r\n",
                        "\r\n5\r\nhello\r\n0\r\n\r\n"),
                accepted("chunk size with leading zeros", CHUNKED + "0005\r\nhello\r\n0\r\n\r\n", "\r\n5\r\nhello\r\n"),
                accepted("CL with trailing OWS", POST + "Content-Length: 5 \r\n\r\nhello", "\r\ncontent-length: 5\r\n"),
                accepted("obs-fold, replaced by SP", "GET / HTTP/1.1\r\n" + H + "X: a\r\n b\r\n\r\n", "\r\nx: a b\r\n"),
                accepted("HTTP/1.0 without Host", "GET /old HTTP/1.0\r\n\r\n", "get /old http/1.1\r\n"),
                accepted("OPTIONS *", "OPTIONS * HTTP/1.1\r\n" + H + "\r\n", "options * http/1.1\r\n"),
                accepted("absolute-form", "GET http://s.test/abs HTTP/1.1\r\nHost: other.test\r\n\r\n",
                        "get /abs http/1.1\r\n"),
                accepted("100 header fields", "GET / HTTP/1.1\r\n" + H + "X: a\r\n".repeat(99) + "\r\n",
                        "x: a\r\nx: a\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void isForwardedInOneReadingOnly(String name, String request, String seen) throws Exception {
        try (WireClient c = new WireClient(proxy.port())) {
            assertThat(c.send(request).read().status()).isEqualTo(200);
        }
        assertThat(originReceived().toLowerCase(Locale.ROOT)).contains(seen);
    }

    @Test
    void expectContinueWorksEndToEnd() throws Exception {
        try (WireClient c = new WireClient(proxy.port())) {
            c.send(POST + "Content-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            String interim = new String(c.input().readNBytes(25), StandardCharsets.ISO_8859_1);
            assertThat(interim).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
            assertThat(c.send("hello").read().status()).isEqualTo(200);
        }
        assertThat(originReceived()).endsWith("\r\n\r\nhello");
    }

    // ---- the origin: records every byte, answers each whole request with 200 --------------

    private void serve(Socket socket) throws IOException {
        InputStream raw = socket.getInputStream();
        InputStream in = new InputStream() {
            @Override
            public int read() throws IOException {
                int b = raw.read();
                if (b >= 0) {
                    received.write(b);
                }
                return b;
            }
        };
        OutputStream out = socket.getOutputStream();
        while (true) {
            String head = RawServer.readHead(in).toLowerCase(Locale.ROOT);
            if (!head.endsWith("\r\n\r\n")) {
                return;
            }
            if (head.contains("\r\nexpect: 100-continue\r\n")) {
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
            int cl = head.indexOf("\r\ncontent-length: ");
            if (head.contains("\r\ntransfer-encoding: chunked\r\n")) {
                if (!readChunked(in)) {
                    return;
                }
            } else if (cl >= 0) {
                int n = Integer.parseInt(head.substring(cl + 18, head.indexOf('\r', cl + 2)));
                if (in.readNBytes(n).length < n) {
                    return;
                }
            }
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
    }

    private static boolean readChunked(InputStream in) throws IOException {
        while (true) {
            String size = line(in);
            if (size == null) {
                return false;
            }
            int n = Integer.parseInt(size, 16);
            if (n == 0) {
                for (String trailer; (trailer = line(in)) != null; ) {
                    if (trailer.isEmpty()) {
                        return true;
                    }
                }
                return false;
            }
            if (in.readNBytes(n).length < n || line(in) == null) {
                return false;
            }
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) >= 0; ) {
            if (c == '\n') {
                return b.substring(0, b.length() - 1);
            }
            b.append((char) c);
        }
        return null;
    }

    /** What reached the origin, once anything in flight has had time to arrive. */
    private String originReceived() throws InterruptedException {
        Thread.sleep(100);
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    private static Arguments refused(String name, String request, int status) {
        return Arguments.of(name, request, status);
    }

    private static Arguments accepted(String name, String request, String seen) {
        return Arguments.of(name, request, seen);
    }
}
