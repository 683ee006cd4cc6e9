package dev.sluice.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import dev.sluice.testing.Bytes;
import dev.sluice.testing.OriginServer;
import dev.sluice.testing.RawServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The client against real servers on loopback: what it sends and reads, byte for byte, and when. */
class ClientTest {

    static RequestSpec spec(String... curlArgs) throws CurlException {
        return CurlCommand.parse(List.of(curlArgs)).request();
    }

    /** One request off the wire, head and Content-Length body, exactly as it came. */
    static byte[] readRequest(InputStream in) throws IOException {
        String head = RawServer.readHead(in);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                b.writeBytes(in.readNBytes(Integer.parseInt(line.substring(15).strip())));
            }
        }
        return b.toByteArray();
    }

    @Test
    void theBytesSentAndReceivedAreWhatTheServerGotAndGave() throws Exception {
        byte[] reply = "HTTP/1.1 201 Created\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nX-Odd:  spaced \r\n\r\nhello"
                .getBytes(StandardCharsets.US_ASCII);
        AtomicReference<byte[]> got = new AtomicReference<>();
        try (RawServer server = RawServer.start(s -> {
            got.set(readRequest(s.getInputStream()));
            s.getOutputStream().write(reply);
        })) {
            Transfer t = Client.create().send(spec("-d", "a=1&b=é", "-H", "X-Trace: t1", "http://127.0.0.1:" + server.port() + "/p?q=1"));

            Exchange e = t.last().orElseThrow();
            assertThat(t.failure()).isNull();
            assertThat(e.sent().toByteArray()).isEqualTo(got.get()).isEqualTo(e.request().bytes().toByteArray());
            assertThat(e.received().toByteArray()).isEqualTo(reply);
            assertThat(new String(got.get(), StandardCharsets.UTF_8)).isEqualTo("POST /p?q=1 HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + server.port() + "\r\n"
                    + "User-Agent: " + CurlParser.DEFAULT_USER_AGENT + "\r\n"
                    + "Accept: */*\r\n"
                    + "X-Trace: t1\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: 8\r\n\r\n"
                    + "a=1&b=é");
            Response r = e.response();
            assertThat(r.head().statusLine()).isEqualTo("HTTP/1.1 201 Created");
            assertThat(r.head().headers()).containsExactly(new Header("Content-Type", "text/plain"),
                    new Header("Content-Length", "5"), new Header("X-Odd", "spaced"));
            assertThat(r.head().size()).isEqualTo(reply.length - 5);
            assertThat(r.body().utf8()).isEqualTo("hello");
            assertThat(r.framing()).isEqualTo(Framing.CONTENT_LENGTH);
            assertThat(r.complete()).isTrue();
            assertThat(e.remote().getPort()).isEqualTo(server.port());
            assertThat(t.exitCode()).isZero();
        }
    }

    @Test
    void timingsArePresentAndInOrder() throws Exception {
        try (OriginServer origin = OriginServer.start("o")) {
            Transfer t = Client.create().send(spec("http://localhost:" + origin.port() + "/hello"));

            Timings tm = t.last().orElseThrow().timings();
            assertThat(tm.tls()).isNull();
            assertThat(List.of(tm.dns(), tm.connect(), tm.sent(), tm.firstByte(), tm.total()))
                    .doesNotContainNull().isSorted();
            assertThat(tm.dns()).isPositive();
            assertThat(tm.waiting().isNegative()).isFalse();
            assertThat(t.total()).isGreaterThanOrEqualTo(tm.total());
            assertThat(t.last().orElseThrow().response().body().utf8()).contains("uri: /hello", "header: host: localhost:"
                    + origin.port());
        }
    }

    @Test
    void aGzipBodyIsDecodedAndTheRawKept() throws Exception {
        byte[] json = "{\"greeting\":\"hello\",\"n\":[1,2,3]}".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
            gz.write(json);
        }
        try (OriginServer origin = OriginServer.start("o", Map.of("/gz", (HttpExchange ex) -> {
            ex.getResponseHeaders().set("Content-Encoding", "gzip");
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, zipped.size());
            ex.getResponseBody().write(zipped.toByteArray());
            ex.close();
        }))) {
            Transfer t = Client.create().send(spec("--compressed", "http://127.0.0.1:" + origin.port() + "/gz"));

            Exchange e = t.last().orElseThrow();
            assertThat(new String(e.sent().toByteArray(), StandardCharsets.US_ASCII)).contains("Accept-Encoding: gzip, deflate\r\n");
            assertThat(e.response().entity().toByteArray()).isEqualTo(zipped.toByteArray());
            assertThat(e.response().body().toByteArray()).isEqualTo(json);
            byte[] received = e.received().toByteArray();
            assertThat(new String(received, e.response().head().size(), received.length - e.response().head().size(),
                    StandardCharsets.ISO_8859_1)).isEqualTo(new String(zipped.toByteArray(), StandardCharsets.ISO_8859_1));
            assertThat(e.notes()).isEmpty();
        }
    }

    @Test
    void anEncodingItCannotDecodeIsShownAsItCameWithANote() throws Exception {
        try (RawServer server = RawServer.start(s -> {
            RawServer.readHead(s.getInputStream());
            s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Encoding: br\r\nContent-Length: 3\r\n\r\n\u0001\u0002\u0003"
                    .getBytes(StandardCharsets.ISO_8859_1));
        })) {
            Exchange e = Client.create().send(spec("http://127.0.0.1:" + server.port() + "/")).last().orElseThrow();

            assertThat(e.response().body().toByteArray()).containsExactly(1, 2, 3);
            assertThat(e.notes()).singleElement().asString().contains("Content-Encoding br is not decoded here");
        }
    }

    @Test
    void aChunkedBodyWithTrailersAndAnEarlyHint() throws Exception {
        try (RawServer server = RawServer.start(s -> {
            RawServer.readHead(s.getInputStream());
            s.getOutputStream().write(("HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"
                    + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Checksum: 42\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        })) {
            Response r = Client.create().send(spec("http://127.0.0.1:" + server.port() + "/")).response().orElseThrow();

            assertThat(r.informational()).extracting(ResponseHead::status).containsExactly(103);
            assertThat(r.framing()).isEqualTo(Framing.CHUNKED);
            assertThat(r.body().utf8()).isEqualTo("hello, world");
            assertThat(r.trailers()).containsExactly(new Header("X-Checksum", "42"));
        }
    }

    @Test
    void aLargeChunkedBodyArrivesWhole() throws Exception {
        int n = 3 * 1024 * 1024 + 17;
        try (OriginServer origin = OriginServer.start("o")) {
            Response r = Client.create().send(spec("http://127.0.0.1:" + origin.port() + "/chunked/" + n)).response()
                    .orElseThrow();

            assertThat(r.framing()).isEqualTo(Framing.CHUNKED);
            assertThat(r.body().size()).isEqualTo(n);
            assertThat(Bytes.digest(r.body().newInputStream()).sha256()).isEqualTo(Bytes.patternDigest(n));
        }
    }

    @Test
    void aBodyEndedByCloseAndAHeadResponseWithoutOne() throws Exception {
        try (RawServer server = RawServer.start(s -> {
            String head = RawServer.readHead(s.getInputStream());
            String body = head.startsWith("HEAD") ? "" : "until the end";
            s.getOutputStream().write(("HTTP/1.0 200 OK\r\nContent-Length: 99\r\n\r\n".replace("Content-Length: 99\r\n",
                    head.startsWith("HEAD") ? "Content-Length: 99\r\n" : "") + body).getBytes(StandardCharsets.US_ASCII));
        })) {
            Response get = Client.create().send(spec("http://127.0.0.1:" + server.port() + "/")).response().orElseThrow();
            Response head = Client.create().send(spec("-I", "http://127.0.0.1:" + server.port() + "/")).response().orElseThrow();

            assertThat(get.framing()).isEqualTo(Framing.CLOSE);
            assertThat(get.body().utf8()).isEqualTo("until the end");
            assertThat(head.framing()).isEqualTo(Framing.NONE);
            assertThat(head.body().isEmpty()).isTrue();
            assertThat(head.header("Content-Length")).contains("99");
        }
    }

    @Test
    void anAnswerBeforeTheWholeBodyIsReadAndNoted() throws Exception {
        try (RawServer server = RawServer.start(s -> {
            RawServer.readHead(s.getInputStream());
            s.getOutputStream().write("HTTP/1.1 413 Content Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            s.shutdownOutput();
            s.setSoLinger(true, 0);
        })) {
            byte[] big = new byte[32 << 20];
            RequestSpec spec = RequestSpec.builder(Url.parse("http://127.0.0.1:" + server.port() + "/upload")).method("POST")
                    .body(ByteString.of(big)).build();

            Transfer t = Client.create().send(spec);

            assertThat(t.response().orElseThrow().status()).isEqualTo(413);
            assertThat(t.exitCode()).isEqualTo(22);
            assertThat(t.last().orElseThrow().notes()).singleElement().asString()
                    .startsWith("the server answered before the whole request was sent");
            assertThat(t.last().orElseThrow().sent().size()).isLessThan(big.length);
        }
    }

    @Test
    void http10RequestLineAndNoHostWhenRemoved() throws Exception {
        AtomicReference<byte[]> got = new AtomicReference<>();
        try (RawServer server = RawServer.start(s -> {
            got.set(readRequest(s.getInputStream()));
            s.getOutputStream().write("HTTP/1.0 204 No Content\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        })) {
            Transfer t = Client.create().send(spec("-0", "-H", "Host:", "-H", "User-Agent:", "-H", "Accept:",
                    "http://127.0.0.1:" + server.port() + "/x"));

            assertThat(new String(got.get(), StandardCharsets.US_ASCII)).isEqualTo("GET /x HTTP/1.0\r\n\r\n");
            assertThat(t.response().orElseThrow().status()).isEqualTo(204);
        }
    }

    @Test
    void aChunkedRequestBodyWhenTheHeaderSaysSo() throws Exception {
        try (OriginServer origin = OriginServer.start("o")) {
            Transfer t = Client.create().send(spec("-H", "Transfer-Encoding: chunked", "--data-binary", "twelve bytes",
                    "http://127.0.0.1:" + origin.port() + "/upload"));

            String sent = new String(t.last().orElseThrow().sent().toByteArray(), StandardCharsets.US_ASCII);
            assertThat(sent).endsWith("\r\n\r\nc\r\ntwelve bytes\r\n0\r\n\r\n").doesNotContain("Content-Length");
            assertThat(t.response().orElseThrow().body().utf8()).startsWith("12 ");
        }
    }
}
