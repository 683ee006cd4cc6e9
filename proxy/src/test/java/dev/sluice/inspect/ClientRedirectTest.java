package dev.sluice.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.sluice.testing.OriginServer;
import java.io.OutputStream;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** -L: the hops a transfer takes, the method and body each carries, and what stays behind. */
class ClientRedirectTest {

    static OriginServer other;
    static OriginServer origin;

    /** {@code /to/STATUS?URL}: answers STATUS with Location URL; with no URL, the request's own. */
    static HttpHandler redirecting() {
        return (HttpExchange ex) -> {
            ex.getRequestBody().transferTo(OutputStream.nullOutputStream());
            String query = ex.getRequestURI().getRawQuery();
            ex.getResponseHeaders().set("Location", query == null ? ex.getRequestURI().getRawPath() : query);
            ex.sendResponseHeaders(Integer.parseInt(ex.getRequestURI().getPath().substring(4)), -1);
            ex.close();
        };
    }

    @BeforeAll
    static void start() {
        other = OriginServer.start("other");
        origin = OriginServer.start("origin", Map.of("/to/", redirecting()));
    }

    @AfterAll
    static void stop() {
        origin.close();
        other.close();
    }

    private static Transfer send(String... curlArgs) throws CurlException {
        return Client.create().send(ClientTest.spec(curlArgs));
    }

    private static String at(String path) {
        return "http://127.0.0.1:" + origin.port() + path;
    }

    @Test
    void withoutLocationTheRedirectIsTheAnswer() throws CurlException {
        Transfer t = send(at("/to/301?/final"));

        assertThat(t.exchanges()).hasSize(1);
        assertThat(t.response().orElseThrow().status()).isEqualTo(301);
        assertThat(t.exitCode()).isZero();
    }

    @Test
    void aPostRedirectedBy302BecomesAGetWithoutBody() throws CurlException {
        Transfer t = send("-L", "-d", "a=1", at("/to/302?/final"));

        assertThat(t.exchanges()).hasSize(2);
        Exchange second = t.exchanges().get(1);
        assertThat(second.request().requestLine()).isEqualTo("GET /final HTTP/1.1");
        assertThat(second.spec().hasBody()).isFalse();
        assertThat(second.spec().header("Content-Type")).isEmpty();
        assertThat(second.response().body().utf8()).contains("method: GET", "uri: /final");
    }

    @Test
    void a307KeepsTheMethodAndBody() throws CurlException {
        Transfer t = send("-L", "-X", "PUT", "-d", "a=1", at("/to/307?/upload"));

        Exchange second = t.exchanges().get(1);
        assertThat(second.request().requestLine()).isEqualTo("PUT /upload HTTP/1.1");
        assertThat(second.response().body().utf8()).startsWith("3 ");
    }

    @Test
    void credentialsStayWithTheirOrigin() throws CurlException {
        String elsewhere = "http://127.0.0.1:" + other.port() + "/landing";
        Transfer t = send("-L", "-u", "ada:pw", "-b", "sid=1", "-H", "X-Keep: yes", at("/to/303?" + elsewhere));

        assertThat(t.exchanges()).hasSize(2);
        assertThat(t.exchanges().get(0).spec().header("Authorization")).isPresent();
        String landing = t.response().orElseThrow().body().utf8();
        assertThat(landing).contains("origin: other", "header: x-keep: yes")
                .doesNotContain("authorization").doesNotContain("cookie");
    }

    @Test
    void aLoopStopsAtMaxRedirs() throws CurlException {
        Transfer t = send("-L", "--max-redirs", "3", at("/to/302"));

        assertThat(t.exitCode()).isEqualTo(47);
        assertThat(t.failure().message()).isEqualTo("Maximum (3) redirects followed");
        assertThat(t.exchanges()).hasSize(4);
    }

    @Test
    void aRedirectToAnotherSchemeIsNotFollowed() throws CurlException {
        Transfer t = send("-L", at("/to/302?ftp://files.example/x"));

        assertThat(t.exitCode()).isEqualTo(1);
        assertThat(t.failure().message()).startsWith("cannot follow the redirect: protocol \"ftp\" is not supported");
    }
}
