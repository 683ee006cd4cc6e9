package dev.sluice.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestValidatorTest {

    @ParameterizedTest
    @ValueSource(strings = {"chunked", "Chunked", "CHUNKED"})
    void acceptsChunkedAlone(String coding) {
        assertThat(RequestValidator.problem(request("POST", "/", "Transfer-Encoding", coding))).isNull();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "chunked, identity | 400",
        "identity          | 400",
        "gzip              | 400",
        "xchunked          | 400",
        "chunkedx          | 400",
        "',chunked'        | 400",
        "'chunked,'        | 400",
        "gzip, chunked     | 501",
    })
    void refusesOtherCodings(String coding, int status) {
        assertThat(RequestValidator.problem(request("POST", "/", "Transfer-Encoding", coding)).status().code())
                .isEqualTo(status);
    }

    @Test
    void combinesTransferEncodingLines() {
        HttpRequest gzipThenChunked = request("POST", "/", "Transfer-Encoding", "gzip");
        gzipThenChunked.headers().add("Transfer-Encoding", "chunked");
        assertThat(RequestValidator.problem(gzipThenChunked).status().code()).isEqualTo(501);
        HttpRequest chunkedThenIdentity = request("POST", "/", "Transfer-Encoding", "chunked");
        chunkedThenIdentity.headers().add("Transfer-Encoding", "identity");
        assertThat(RequestValidator.problem(chunkedThenIdentity).status().code()).isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a\u0001", "/a\u007f", "/\u00e9", "/a#frag", "/a\tb"})
    void refusesTargetCharacters(String target) {
        assertThat(RequestValidator.problem(request("GET", target, "Host", "a")).reason())
                .isEqualTo("invalid character in request target");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/a?b=c&d=%20", "http://a.test/x", "*"})
    void acceptsTargets(String target) {
        assertThat(RequestValidator.problem(request("OPTIONS", target, "Host", "a"))).isNull();
    }

    @Test
    void asteriskIsOnlyForOptions() {
        assertThat(RequestValidator.problem(request("GET", "*", "Host", "a")).status().code()).isEqualTo(400);
    }

    @Test
    void refusesConnect() {
        assertThat(RequestValidator.problem(request("CONNECT", "a.test:443", "Host", "a.test")).reason())
                .isEqualTo("CONNECT is not supported");
    }

    @ParameterizedTest
    @CsvSource({"HTTP/1.2, 505", "HTTP/2.0, 505", "HTTP/0.9, 505", "HTTP/1.0, 0", "HTTP/1.1, 0"})
    void speaksHttp10And11(String version, int status) {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.valueOf(version), HttpMethod.GET, "/");
        RequestValidator.Problem problem = RequestValidator.problem(r);
        assertThat(problem == null ? 0 : problem.status().code()).isEqualTo(status);
    }

    private static HttpRequest request(String method, String target, String name, String value) {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), target);
        r.headers().add(name, value);
        return r;
    }
}
