package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.OriginServer;
import dev.sluice.testing.RefusingPort;
import dev.sluice.testing.TestProxy;
import dev.sluice.testing.WireClient;
import dev.sluice.testing.WireClient.Response;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Requests reach the pool their host and path name; the proxy's own answers are right. */
class RoutingTest {

    static OriginServer apps;
    static OriginServer api;
    static OriginServer fallback;
    static RefusingPort dead;
    static int deadPort;
    static TestProxy proxy;

    @BeforeAll
    static void start() throws IOException {
        apps = OriginServer.start("apps");
        api = OriginServer.start("api");
        fallback = OriginServer.start("fallback");
        dead = RefusingPort.open();
        deadPort = dead.port();
        proxy = TestProxy.start("""
                listen: 127.0.0.1:0
                pools:
                  apps:
                    balance: consistent_hash
                    backends: [127.0.0.1:%d]
                  api:
                    backends:
                      - address: 127.0.0.1:%d
                        weight: 3
                  fallback:
                    backends: [127.0.0.1:%d]
                  dead:
                    backends: [127.0.0.1:%d]
                  empty:
                    backends: []
                routes:
                  - host: "*.apps.example"
                    pool: apps
                  - host: api.example
                    path: /v1/
                    pool: api
                  - host: dead.example
                    pool: dead
                  - host: empty.example
                    pool: empty
                  - host: only.example
                    path: /only/
                    pool: fallback
                  - host: "*.example"
                    path: /nowhere/
                    pool: fallback
                  - host: other.example
                    pool: fallback
                """.formatted(apps.port(), api.port(), fallback.port(), deadPort));
    }

    @AfterAll
    static void stop() throws IOException {
        proxy.close();
        dead.close();
        apps.close();
        api.close();
        fallback.close();
    }

    static Response get(String host, String path) throws IOException {
        try (WireClient c = new WireClient(proxy.port())) {
            return c.send(WireClient.get(host, path)).read();
        }
    }

    @ParameterizedTest(name = "Host: {0} {1} -> {2}")
    @CsvSource({
        "shop.apps.example, /, apps",
        "SHOP.Apps.EXAMPLE, /, apps",          // case does not matter
        "shop.apps.example:8080, /, apps",     // nor the port
        "shop.apps.example., /, apps",         // nor a trailing dot
        "a.b.c.apps.example, /x, apps",        // wildcards match at any depth
        "api.example, /v1/users, api",
        "API.example:80, /v1/, api",
        "other.example, /v1/users, fallback",
        "only.example, /only/this, fallback",
    })
    void routesByHostAndPath(String host, String path, String origin) throws IOException {
        Response r = get(host, path);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.header("x-origin")).isEqualTo(origin);
        assertThat(r.echoed("uri")).isEqualTo(path);
        assertThat(r.seenHeader("host")).containsExactly(host); // Host is passed on as sent
    }

    @Test
    void wildcardDoesNotMatchItsOwnSuffix() throws IOException {
        assertThat(get("apps.example", "/").status()).isEqualTo(404);
    }

    @Test
    void pathPrefixMustMatch() throws IOException {
        Response r = get("api.example", "/v2/users");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.text()).contains("no route for api.example/v2/users");
        assertThat(r.header("connection")).isNull(); // keep-alive: a 404 is no reason to close
    }

    @Test
    void firstMatchWins() throws IOException {
        // "*.example" /nowhere/ comes before other.example in the config
        assertThat(get("other.example", "/nowhere/x").header("x-origin")).isEqualTo("fallback");
    }

    @Test
    void defaultRouteTakesAnyHost() throws IOException {
        try (TestProxy withDefault = TestProxy.start("""
                listen: 127.0.0.1:0
                pools:
                  apps: { backends: [127.0.0.1:%d] }
                  fallback: { backends: [127.0.0.1:%d] }
                routes:
                  - host: "*.apps.example"
                    pool: apps
                  - pool: fallback
                """.formatted(apps.port(), fallback.port()));
                WireClient c = new WireClient(withDefault.port())) {
            assertThat(c.send(WireClient.get("x.apps.example", "/")).read().header("x-origin")).isEqualTo("apps");
            assertThat(c.send(WireClient.get("anything.test", "/")).read().header("x-origin")).isEqualTo("fallback");
            // HTTP/1.0 may omit Host: it takes the default route
            Response r = c.send("GET /old HTTP/1.0\r\n\r\n").read();
            assertThat(r.header("x-origin")).isEqualTo("fallback");
        }
    }

    @Test
    void absoluteFormTargetRoutesByItsAuthority() throws IOException {
        try (WireClient c = new WireClient(proxy.port())) {
            Response r = c.send("GET http://API.example/v1/x?q=1 HTTP/1.1\r\nHost: other.example\r\n\r\n").read();
            assertThat(r.header("x-origin")).isEqualTo("api");
            assertThat(r.echoed("uri")).isEqualTo("/v1/x?q=1"); // origin-form upstream
            assertThat(r.seenHeader("host")).containsExactly("API.example");
        }
    }

    @Test
    void unknownHostGets404() throws IOException {
        Response r = get("nobody.test", "/");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.header("content-type")).startsWith("text/plain");
    }

    @Test
    void missingHostGets400AndClose() throws IOException {
        try (WireClient c = new WireClient(proxy.port())) {
            Response r = c.send("GET / HTTP/1.1\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.text()).contains("missing Host");
            assertThat(r.header("connection")).isEqualTo("close");
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "GET / HTTP/1.1\\r\\nHost: bad host\\r\\n\\r\\n|invalid Host",
        "GET / HTTP/1.1\\r\\nHost: a..b\\r\\n\\r\\n|invalid Host",
        "GET / HTTP/1.1\\r\\nHost: a.example:99999\\r\\n\\r\\n|invalid Host",
        "GET / HTTP/1.1\\r\\nHost: a.example\\r\\nHost: b.example\\r\\n\\r\\n|more than one Host",
    })
    void invalidHostGets400(String raw, String message) throws IOException {
        try (WireClient c = new WireClient(proxy.port())) {
            Response r = c.send(raw.replace("\\r\\n", "\r\n")).read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.text()).contains(message);
            assertThat(c.closedByPeer()).isTrue();
        }
        assertThat(apps.uris()).noneMatch(u -> u.contains("bad"));
    }

    @Test
    void refusedBackendGets502() throws IOException {
        Response r = get("dead.example", "/");
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.text()).contains("cannot reach backend 127.0.0.1:" + deadPort);
    }

    @Test
    void refusedBackendAnswersEveryPipelinedRequestAndHonoursClose() throws IOException {
        try (WireClient c = new WireClient(proxy.port())) {
            c.send("POST / HTTP/1.1\r\nHost: dead.example\r\nContent-Length: 3\r\n\r\nabc"
                    + WireClient.get("x.apps.example", "/after"));
            assertThat(c.read().status()).isEqualTo(502);
            assertThat(c.read().header("x-origin")).isEqualTo("apps");
        }
        try (WireClient c = new WireClient(proxy.port())) {
            Response r = c.send("GET / HTTP/1.1\r\nHost: dead.example\r\nConnection: close\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(502);
            assertThat(r.header("connection")).isEqualTo("close");
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void malformedChunkedBodyGets400AndClose() throws IOException {
        try (WireClient c = new WireClient(proxy.port())) {
            Response r = c.send("POST /v1/x HTTP/1.1\r\nHost: api.example\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "zz\r\nhello\r\n0\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void emptyPoolGets503() throws IOException {
        Response r = get("empty.example", "/");
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.text()).contains("no backend available in pool empty");
    }

    @Test
    void errorsKeepTheConnectionUsable() throws IOException {
        try (WireClient c = new WireClient(proxy.port())) {
            assertThat(c.send(WireClient.get("dead.example", "/")).read().status()).isEqualTo(502);
            assertThat(c.send(WireClient.get("nobody.test", "/")).read().status()).isEqualTo(404);
            assertThat(c.send(WireClient.get("x.apps.example", "/")).read().status()).isEqualTo(200);
        }
    }
}
