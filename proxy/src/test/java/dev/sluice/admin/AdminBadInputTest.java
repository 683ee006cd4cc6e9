package dev.sluice.admin;

import static dev.sluice.testing.TestAdmin.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.OriginServer;
import dev.sluice.testing.TestAdmin;
import dev.sluice.testing.TestAdmin.Response;
import dev.sluice.testing.WireClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input for every endpoint: each is refused with the right status and a JSON error that says
 * what was wrong, and the configuration is exactly as it was. One proxy serves the whole table, so
 * a row that changed anything would show up in every row after it, too.
 */
class AdminBadInputTest {

    private static final String TOKEN = "t0ken";
    private static final String BACKEND = "/api/pools/web/backends/127.0.0.1:9009";

    @TempDir
    static Path dir;

    private static OriginServer origin;
    private static TestAdmin admin;
    private static String configBefore;

    @BeforeAll
    static void start() {
        origin = OriginServer.start("web");
        admin = TestAdmin.start(dir, """
                listen: 127.0.0.1:0
                pools:
                  web: { backends: [127.0.0.1:%d] }
                  api: { backends: [] }
                routes:
                  - pool: web
                """.formatted(origin.port()), TOKEN);
        configBefore = admin.get("/api/config").body();
    }

    @AfterAll
    static void stop() {
        admin.close();
        origin.close();
    }

    /**
     * @param status the answer's status
     * @param error how the {@code error} starts (all of it where the wording is ours)
     * @param problemKey for config validation errors, the key of the first problem
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void isRefusedAndChangesNothing(String method, String path, byte[] body, int status, String error,
            String problemKey) {
        Response r = admin.sendAsync(method, path, body, bearer(TOKEN)).join();

        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.error()).startsWith(error);
        JsonNode problems = r.json().path("problems");
        if (problemKey == null) {
            assertThat(problems.isMissingNode()).as(r.body()).isTrue();
        } else {
            assertThat(problems.get(0).path("key").asText()).isEqualTo(problemKey);
            assertThat(problems.get(0).has("line")).isTrue();
            assertThat(problems.get(0).path("message").asText()).isNotEmpty();
        }
        assertThat(admin.get("/api/config").body()).isEqualTo(configBefore);
    }

    /**
     * Paths java.net.URI will not send, sent as they are (WireClient writes each char as one byte, so
     * \u00ff is the byte 0xFF, which is not UTF-8).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            GET | /api/pools/%zz                 | 400 | bad percent-encoding in the path /api/pools/%zz: '%' must be followed by two hex digits
            PUT | /api/pools/web/backends/1.2.3.4:8%2 | 400 | bad percent-encoding in the path /api/pools/web/backends/1.2.3.4:8%2
            PUT | /api/pools/w\u00ffb/backends/1.2.3.4:80 | 400 | the path /api/pools/w\u00ffb/backends/1.2.3.4:80 is not UTF-8 text
            """)
    void badPathsSentRawAreRefused(String method, String path, int status, String error) throws IOException {
        try (WireClient c = new WireClient(admin.adminPort())) {
            c.send(method + " " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: " + bearer(TOKEN)
                    + "\r\nContent-Length: 0\r\n\r\n");
            WireClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(status);
            assertThat(r.text()).startsWith("{\"error\":").contains(error);
        }
        assertThat(admin.get("/api/config").body()).isEqualTo(configBefore);
    }

    static Stream<Arguments> badInput() {
        byte[] oversize = new byte[AdminServer.MAX_BODY + 1];
        Arrays.fill(oversize, (byte) ' ');
        return Stream.of(
                // PUT a backend: the body
                row("weight body is malformed JSON", "PUT", BACKEND, "{\"weight\":", 400,
                        "cannot read the body as JSON (line 1, column 11): Unexpected end-of-input"),
                row("weight is a string", "PUT", BACKEND, "{\"weight\":\"x\"}", 400,
                        "weight: expected a whole number 1-256, got \"x\""),
                row("weight is a fraction", "PUT", BACKEND, "{\"weight\":1.5}", 400,
                        "weight: expected a whole number 1-256, got 1.5"),
                row("weight is null", "PUT", BACKEND, "{\"weight\":null}", 400,
                        "weight: expected a whole number 1-256, got null"),
                row("weight is beyond an int", "PUT", BACKEND, "{\"weight\":99999999999}", 400,
                        "weight: expected a whole number 1-256, got 99999999999"),
                row("weight is 0", "PUT", BACKEND, "{\"weight\":0}", 400, "weight 0 is out of range 1-256"),
                row("weight is 257", "PUT", BACKEND, "{\"weight\":257}", 400, "weight 257 is out of range 1-256"),
                row("body has an unknown field", "PUT", BACKEND, "{\"weight\":1,\"wieght\":2}", 400,
                        "unknown field \"wieght\" in the body; the only field is \"weight\""),
                row("body is not an object", "PUT", BACKEND, "[1]", 400,
                        "the body must be a JSON object like {\"weight\": 2}, got [1]"),
                row("body repeats a field", "PUT", BACKEND, "{\"weight\":1,\"weight\":2}", 400,
                        "cannot read the body as JSON (line 1, column 21): Duplicate field 'weight'"),
                row("body has two values", "PUT", BACKEND, "{\"weight\":1} {}", 400,
                        "more text after the JSON object in the body"),
                row("body is not UTF-8", "PUT", BACKEND, new byte[] {'{', (byte) 0xff, '}'}, 400,
                        "the body is not UTF-8 text", null),
                row("body is too large", "PUT", BACKEND, oversize, 413,
                        "the body is larger than the admin API takes (1048576 bytes)", null),
                // PUT a backend: the path
                row("PUT to an unknown pool", "PUT", "/api/pools/nope/backends/127.0.0.1:9009", null, 404,
                        "no pool named \"nope\" (pools: web, api)"),
                row("address without a port", "PUT", "/api/pools/web/backends/localhost", null, 400,
                        "\"localhost\" is not an address: expected host:port"),
                row("port 0", "PUT", "/api/pools/web/backends/127.0.0.1:0", null, 400,
                        "\"127.0.0.1:0\" is not an address: port 0 is out of range 1-65535"),
                row("port above 65535", "PUT", "/api/pools/web/backends/127.0.0.1:70000", null, 400,
                        "\"127.0.0.1:70000\" is not an address: port 70000 is out of range 1-65535"),
                row("port is a name", "PUT", "/api/pools/web/backends/127.0.0.1:http", null, 400,
                        "\"127.0.0.1:http\" is not an address: port \"http\" is not a number"),
                row("IPv6 without brackets", "PUT", "/api/pools/web/backends/::1:9009", null, 400,
                        "\"::1:9009\" is not an address: expected host:port"),
                row("host with a character no host has", "PUT", "/api/pools/web/backends/a@b:9009", null, 400,
                        "\"a@b:9009\" is not an address: bad host \"a@b\""),
                row("percent-encoding that is not UTF-8", "PUT", "/api/pools/web/backends/%C3%28", null, 400,
                        "the path /api/pools/web/backends/%C3%28 is not UTF-8 text"),
                // DELETE a backend
                row("DELETE a backend that is not there", "DELETE", BACKEND, null, 404,
                        "127.0.0.1:9009 is not in pool web"),
                row("DELETE from an unknown pool", "DELETE", "/api/pools/nope/backends/127.0.0.1:9009", null, 404,
                        "no pool named \"nope\""),
                row("DELETE an invalid address", "DELETE", "/api/pools/web/backends/127.0.0.1", null, 400,
                        "\"127.0.0.1\" is not an address"),
                // PUT routes
                row("routes are malformed JSON", "PUT", "/api/routes", "[{\"pool\":", 400,
                        "the routes were not replaced: request body:1: JSON syntax error at column 10", ""),
                row("routes are YAML, not JSON", "PUT", "/api/routes", "- pool: web", 400,
                        "the routes were not replaced: request body:1: JSON syntax error at column 2", ""),
                row("routes body is empty", "PUT", "/api/routes", "", 400,
                        "the routes were not replaced: request body: nothing to read; expected a JSON list of routes",
                        ""),
                row("routes are an object", "PUT", "/api/routes", "{\"routes\":[]}", 400,
                        "the routes were not replaced: request body:1: routes: expected a list of routes, got a mapping",
                        "routes"),
                row("route to a missing pool", "PUT", "/api/routes", "[{\"pool\":\"wbe\"}]", 400,
                        "the routes were not replaced: request body:1: routes[0].pool: no pool named \"wbe\";"
                                + " did you mean \"web\"? (defined pools: web, api)", "routes[0].pool"),
                row("route with an unknown field", "PUT", "/api/routes", "[{\"pool\":\"web\",\"hots\":\"a.example\"}]",
                        400, "the routes were not replaced: request body:1: routes[0].hots: unknown key;"
                                + " did you mean \"host\"?", "routes[0].hots"),
                row("route pool is a list", "PUT", "/api/routes", "[{\"pool\":[\"web\"]}]", 400,
                        "the routes were not replaced: request body:1: routes[0].pool: expected the name of a pool,"
                                + " got a list", "routes[0].pool"),
                row("route without a pool", "PUT", "/api/routes", "[{\"host\":\"a.example\"}]", 400,
                        "the routes were not replaced: request body:1: routes[0].pool: missing", "routes[0].pool"),
                row("route repeats a key", "PUT", "/api/routes", "[{\"pool\":\"web\",\"pool\":\"api\"}]", 400,
                        "the routes were not replaced: request body:1: routes[0].pool: duplicate key",
                        "routes[0].pool"),
                row("route host is invalid", "PUT", "/api/routes", "[{\"host\":\"a b\",\"pool\":\"web\"}]", 400,
                        "the routes were not replaced: request body:1: routes[0].host: \"a b\" is not a valid host name",
                        "routes[0].host"),
                row("route host has a port", "PUT", "/api/routes", "[{\"host\":\"a.example:80\",\"pool\":\"web\"}]",
                        400, "the routes were not replaced: request body:1: routes[0].host: \"a.example:80\" has a port",
                        "routes[0].host"),
                row("route path is relative", "PUT", "/api/routes", "[{\"path\":\"v1\",\"pool\":\"web\"}]", 400,
                        "the routes were not replaced: request body:1: routes[0].path: expected a path prefix",
                        "routes[0].path"),
                row("routes body is too large", "PUT", "/api/routes", oversize, 413,
                        "the body is larger than the admin API takes (1048576 bytes)", null),
                // wrong methods
                row("DELETE the config", "DELETE", "/api/config", null, 405,
                        "/api/config does not take DELETE; it takes GET"),
                row("PUT the status", "PUT", "/api/status", null, 405, "/api/status does not take PUT; it takes GET"),
                row("POST to the pools", "POST", "/api/pools", null, 405, "/api/pools does not take POST; it takes GET"),
                row("DELETE a pool", "DELETE", "/api/pools/web", null, 405,
                        "/api/pools/web does not take DELETE; it takes GET"),
                row("PATCH the routes", "PATCH", "/api/routes", "[]", 405,
                        "/api/routes does not take PATCH; it takes GET, PUT"),
                row("GET a backend", "GET", BACKEND, null, 405,
                        "/api/pools/web/backends/127.0.0.1:9009 does not take GET; it takes DELETE, PUT"),
                row("GET the reload", "GET", "/api/reload", null, 405, "/api/reload does not take GET; it takes POST"),
                // unknown paths and pools
                row("GET an unknown pool", "GET", "/api/pools/nope", null, 404, "no pool named \"nope\" (pools: web, api)"),
                row("the root", "GET", "/", null, 404, "no such endpoint: / (see docs/admin-api.md)"),
                row("/api alone", "GET", "/api", null, 404, "no such endpoint: /api (see docs/admin-api.md)"),
                row("an unknown resource", "GET", "/api/nope", null, 404, "no such endpoint: /api/nope"),
                row("a path below the config", "GET", "/api/config/listen", null, 404,
                        "no such endpoint: /api/config/listen"),
                row("a trailing slash", "GET", "/api/pools/", null, 404, "no such endpoint: /api/pools/"),
                row("backends without an address", "PUT", "/api/pools/web/backends", null, 404,
                        "no such endpoint: /api/pools/web/backends"),
                row("a change to an unknown path", "POST", "/api/restart", null, 404, "no such endpoint: /api/restart"));
    }

    private static Arguments row(String name, String method, String path, String body, int status, String error) {
        return row(name, method, path, body, status, error, null);
    }

    private static Arguments row(String name, String method, String path, String body, int status, String error,
            String problemKey) {
        return row(name, method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), status, error,
                problemKey);
    }

    private static Arguments row(String name, String method, String path, byte[] body, int status, String error,
            String problemKey) {
        return Arguments.of(Named.of(name, method), path, body, status, error, problemKey);
    }
}
