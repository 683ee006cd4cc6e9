package dev.sluice.admin;

import static dev.sluice.testing.TestAdmin.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sluice.config.DynamicState;
import dev.sluice.store.StateStore;
import dev.sluice.testing.OriginServer;
import dev.sluice.testing.TestAdmin;
import dev.sluice.testing.TestAdmin.Response;
import dev.sluice.testing.WireClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin API's contract, end to end: a real proxy, control plane and admin listener, a real client. */
class AdminApiTest {

    private static final String TOKEN = "s3cret-token";
    private static final String AUTH = bearer(TOKEN);

    @TempDir
    Path dir;

    private OriginServer a;
    private OriginServer b;
    private TestAdmin admin;

    @BeforeEach
    void start() {
        a = OriginServer.start("a");
        b = OriginServer.start("b");
        admin = TestAdmin.start(dir, config(a.port(), b.port()), TOKEN);
    }

    @AfterEach
    void stop() {
        admin.close();
        a.close();
        b.close();
    }

    static String config(int web, int api) {
        return """
                listen: 127.0.0.1:0
                upstream:
                  idle_timeout: 2m
                pools:
                  web:
                    backends: [127.0.0.1:%d]
                  api:
                    balance: least_request
                    backends:
                      - address: 127.0.0.1:%d
                        weight: 2
                routes:
                  - host: api.example
                    pool: api
                  - pool: web
                """.formatted(web, api);
    }

    @Test
    void configIsTheEffectiveConfigInTheFilesShape() throws IOException {
        Response r = admin.get("/api/config");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.json()).isEqualTo(new JsonMapper().readTree("""
                {"listen": "127.0.0.1:0", "transport": "auto", "threads": 0, "shutdown_timeout": "30s",
                 "upstream": {"connect_timeout": "5s", "idle_timeout": "2m", "max_idle_per_backend": 64},
                 "pools": {
                   "web": {"balance": "round_robin", "hash_epsilon": 0.25,
                           "backends": [{"address": "127.0.0.1:%d", "weight": 1}]},
                   "api": {"balance": "least_request", "hash_epsilon": 0.25,
                           "backends": [{"address": "127.0.0.1:%d", "weight": 2}]}},
                 "routes": [{"host": "api.example", "path": "/", "pool": "api"}, {"path": "/", "pool": "web"}],
                 "state_dir": "%s",
                 "version": 0, "route_table_version": 1}
                """.formatted(a.port(), b.port(), dir.resolve("sluice-state"))));
    }

    @Test
    void poolsListsEachPoolWithItsBackendCount() {
        JsonNode pools = admin.get("/api/pools").json().path("pools");

        assertThat(pools.toString()).isEqualTo("""
                [{"name":"web","balance":"round_robin","backend_count":1},\
                {"name":"api","balance":"least_request","backend_count":1}]""");
    }

    @Test
    void poolShowsItsBackendsAndTheirState() {
        Response r = admin.get("/api/pools/api");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("""
                {"name":"api","balance":"least_request","backends":[{"address":"127.0.0.1:%d","weight":2,"state":"up"}]}
                """.formatted(b.port()));
    }

    @Test
    void putAddsUpdatesOrFindsUnchangedAndEachAnswerSaysWhich() {
        String path = "/api/pools/web/backends/127.0.0.1:9003";

        Response added = admin.send("PUT", path, null, AUTH);
        assertThat(added.status()).isEqualTo(201);
        assertThat(added.body()).isEqualTo("""
                {"status":"added","pool":"web","backend":{"address":"127.0.0.1:9003","weight":1},"version":1}
                """);

        Response updated = admin.send("PUT", path, "{\"weight\": 5}", AUTH);
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.body()).isEqualTo("""
                {"status":"updated","pool":"web","backend":{"address":"127.0.0.1:9003","weight":5},"version":2}
                """);

        Response unchanged = admin.send("PUT", path, "{\"weight\": 5}", AUTH);
        assertThat(unchanged.status()).isEqualTo(200);
        assertThat(unchanged.json().path("status").asText()).isEqualTo("unchanged");
        assertThat(unchanged.json().path("version").asLong()).isEqualTo(2);

        // Without a weight, a known backend keeps its own.
        assertThat(admin.send("PUT", path, "", AUTH).json().path("status").asText()).isEqualTo("unchanged");
        assertThat(admin.get("/api/pools/web").json().path("backends").get(1).toString())
                .isEqualTo("{\"address\":\"127.0.0.1:9003\",\"weight\":5,\"state\":\"up\"}");
        assertThat(admin.get("/api/status").json().path("state_version").asLong()).isEqualTo(2);
    }

    @Test
    void deleteRemovesTheBackendAndAbsentIs404() {
        String path = "/api/pools/api/backends/127.0.0.1:" + b.port();

        Response removed = admin.send("DELETE", path, null, AUTH);
        assertThat(removed.status()).isEqualTo(200);
        assertThat(removed.body()).isEqualTo("""
                {"status":"removed","pool":"api","backend":{"address":"127.0.0.1:%d","weight":2},"version":1}
                """.formatted(b.port()));
        assertThat(admin.get("/api/pools/api").json().path("backends")).isEmpty();

        Response again = admin.send("DELETE", path, null, AUTH);
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.error()).isEqualTo("127.0.0.1:" + b.port() + " is not in pool api");
    }

    @Test
    void trafficMovesToAnAddedBackendAndLeavesARemovedOne() throws IOException {
        try (OriginServer c = OriginServer.start("c")) {
            assertThat(origins(4)).containsOnly("a");

            assertThat(admin.send("PUT", "/api/pools/web/backends/127.0.0.1:" + c.port(), null, AUTH).status())
                    .isEqualTo(201);
            assertThat(origins(4)).containsExactlyInAnyOrder("a", "c", "a", "c"); // round robin over both

            assertThat(admin.send("DELETE", "/api/pools/web/backends/127.0.0.1:" + a.port(), null, AUTH).status())
                    .isEqualTo(200);
            assertThat(origins(4)).containsOnly("c");
        }
    }

    /** The origin that answered each of {@code n} requests to the default route. */
    private List<String> origins(int n) throws IOException {
        List<String> names = new ArrayList<>();
        try (WireClient client = new WireClient(admin.proxyPort())) {
            for (int i = 0; i < n; i++) {
                names.add(client.send(WireClient.get("www.example", "/")).read().header("x-origin"));
            }
        }
        return names;
    }

    @Test
    void routesReadAndReplaceAndTrafficFollows() throws IOException {
        assertThat(admin.get("/api/routes").body()).isEqualTo("""
                [{"host":"api.example","path":"/","pool":"api"},{"path":"/","pool":"web"}]
                """);

        Response replaced = admin.send("PUT", "/api/routes", """
                [{"host": "WWW.Example.", "pool": "API"}, {"path": "/", "pool": "web"}]
                """, AUTH);

        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.body()).isEqualTo("""
                {"status":"replaced","routes":[{"host":"www.example","path":"/","pool":"api"},\
                {"path":"/","pool":"web"}],"version":1}
                """);
        assertThat(admin.get("/api/routes").json()).isEqualTo(replaced.json().path("routes"));
        assertThat(origins(2)).containsOnly("b");
    }

    @Test
    void whatGetRoutesAnswersPutRoutesTakesBack() {
        String routes = admin.get("/api/routes").body();

        assertThat(admin.send("PUT", "/api/routes", routes, AUTH).status()).isEqualTo(200);
        assertThat(admin.get("/api/routes").body()).isEqualTo(routes);
    }

    @Test
    void statusCountsVersionsAndReloadFailures() {
        assertThat(admin.get("/api/status").body())
                .isEqualTo("{\"state_version\":0,\"route_table_version\":1,\"reload_failures\":0}\n");

        admin.send("PUT", "/api/pools/web/backends/127.0.0.1:9003", null, AUTH);

        assertThat(admin.get("/api/status").body())
                .isEqualTo("{\"state_version\":1,\"route_table_version\":2,\"reload_failures\":0}\n");
    }

    @Test
    void reloadAppliesTheFileWithTheApisChangesOverIt() throws IOException {
        admin.send("PUT", "/api/pools/web/backends/127.0.0.1:9003", null, AUTH);
        Files.writeString(admin.configFile(), config(a.port(), b.port()).replace("balance: least_request",
                "balance: consistent_hash"));

        Response r = admin.send("POST", "/api/reload", null, AUTH);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":\"reloaded\",\"version\":1,\"route_table_version\":3}\n");
        JsonNode pools = admin.get("/api/config").json().path("pools");
        assertThat(pools.path("api").path("balance").asText()).isEqualTo("consistent_hash");
        assertThat(pools.path("web").path("backends")).hasSize(2); // the API's backend survives the reload
    }

    @Test
    void reloadOfABadFileIs400WithLineAndKeyAndChangesNothing() throws IOException {
        String before = admin.get("/api/config").body();
        Files.writeString(admin.configFile(), config(a.port(), b.port()).replace("balance: least_request",
                "balance: least_requests"));

        Response r = admin.send("POST", "/api/reload", null, AUTH);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.error()).isEqualTo("reload refused, still running the previous config: " + admin.configFile()
                + ":8: pools.api.balance: expected one of round_robin, least_request, consistent_hash,"
                + " got \"least_requests\"; did you mean \"least_request\"?");
        assertThat(r.json().path("problems").toString()).isEqualTo("""
                [{"line":8,"key":"pools.api.balance","message":"expected one of round_robin, least_request,\
                 consistent_hash, got \\"least_requests\\"; did you mean \\"least_request\\"?"}]""");
        assertThat(admin.get("/api/config").body()).isEqualTo(before);
        assertThat(admin.get("/api/status").json().path("reload_failures").asLong()).isEqualTo(1);
    }

    @Test
    void poolNamesAndBackendHostsAreCanonical() {
        Response r = admin.send("PUT", "/api/pools/WEB/backends/LocalHost:9001", null, AUTH);

        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().path("pool").asText()).isEqualTo("web");
        assertThat(r.json().path("backend").path("address").asText()).isEqualTo("localhost:9001");
        assertThat(admin.get("/api/pools/Web").json().path("backends").get(1).path("address").asText())
                .isEqualTo("localhost:9001");
        // The same backend spelled another way is the same backend.
        assertThat(admin.send("PUT", "/api/pools/web/backends/LOCALHOST:9001", null, AUTH).json().path("status")
                .asText()).isEqualTo("unchanged");
    }

    @Test
    void percentEncodedSegmentsAreDecodedSoIpv6Works() {
        Response r = admin.send("PUT", "/api/pools/w%65b/backends/%5B%3A%3A1%5D%3A9001", "{\"weight\":3}", AUTH);

        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().path("backend").toString()).isEqualTo("{\"address\":\"[::1]:9001\",\"weight\":3}");
        assertThat(admin.send("DELETE", "/api/pools/web/backends/%5B::1%5D:9001", null, AUTH).status())
                .isEqualTo(200);
    }

    @Test
    void rawBracketsInThePathWorkToo() throws IOException {
        // curl --globoff sends them as they are; java.net.URI would not.
        try (WireClient c = new WireClient(admin.adminPort())) {
            c.send("PUT /api/pools/web/backends/[::1]:9001 HTTP/1.1\r\nHost: x\r\nAuthorization: " + AUTH
                    + "\r\nContent-Length: 0\r\n\r\n");
            WireClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(201);
            assertThat(r.text()).contains("\"address\":\"[::1]:9001\"");
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderAndSeeTheChangesBeforeThem() throws IOException {
        try (WireClient c = new WireClient(admin.adminPort())) {
            c.send("PUT /api/pools/web/backends/127.0.0.1:9003 HTTP/1.1\r\nHost: x\r\nAuthorization: " + AUTH
                    + "\r\nContent-Length: 0\r\n\r\n"
                    + "GET /api/status HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "DELETE /api/pools/web/backends/127.0.0.1:9003 HTTP/1.1\r\nHost: x\r\nAuthorization: " + AUTH
                    + "\r\n\r\n"
                    + "GET /api/status HTTP/1.1\r\nHost: x\r\n\r\n");

            assertThat(c.read().status()).isEqualTo(201);
            assertThat(c.read().text()).contains("\"state_version\":1");
            assertThat(c.read().status()).isEqualTo(200);
            assertThat(c.read().text()).contains("\"state_version\":2");
        }
    }

    @Test
    void connectionCloseIsHonoured() throws IOException {
        try (WireClient c = new WireClient(admin.adminPort())) {
            c.send("GET /api/status HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            WireClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("connection")).isEqualTo("close");
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void changesBeyondTheBoundedQueueAre503AndReadsStayAnswered(@TempDir Path other) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch saving = new CountDownLatch(1);
        StateStore slow = new StateStore() {
            private final StateStore memory = StateStore.inMemory();

            @Override
            public Recovered load() throws IOException {
                return memory.load();
            }

            @Override
            public void save(DynamicState state) throws IOException {
                saving.countDown();
                try {
                    release.await(20, TimeUnit.SECONDS); // a slow fsync
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                memory.save(state);
            }
        };
        try (TestAdmin blocked = TestAdmin.start(other, config(a.port(), b.port()), TOKEN, slow)) {
            List<CompletableFuture<Response>> puts = new ArrayList<>();
            puts.add(blocked.sendAsync("PUT", "/api/pools/web/backends/127.0.0.1:20000", null, AUTH));
            assertThat(saving.await(10, TimeUnit.SECONDS)).isTrue();
            // Each on its own connection: one occupies the thread, 64 wait in the queue, the rest are refused.
            for (int i = 1; i <= AdminServer.MAX_WAITING_CHANGES + 3; i++) {
                puts.add(blocked.sendAsync("PUT", "/api/pools/web/backends/127.0.0.1:" + (20000 + i), null, AUTH));
            }
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (puts.stream().filter(CompletableFuture::isDone).count() < 3 && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            // The refusals come at once, while the change in progress still blocks.
            assertThat(puts.stream().filter(CompletableFuture::isDone).map(p -> p.join().status()))
                    .containsExactly(503, 503, 503);
            Response status = blocked.get("/api/status");
            assertThat(status.status()).isEqualTo(200);
            assertThat(status.json().path("state_version").asLong()).isZero();

            release.countDown();
            List<Response> answers = puts.stream().map(CompletableFuture::join).toList();
            List<Response> busy = answers.stream().filter(r -> r.status() == 503).toList();
            assertThat(busy).hasSize(3);
            assertThat(busy.getFirst().error()).isEqualTo(
                    "too many changes are waiting (64); nothing was changed, try again shortly");
            assertThat(busy.getFirst().header("Retry-After")).isEqualTo("1");
            assertThat(answers.stream().filter(r -> r.status() == 201)).hasSize(AdminServer.MAX_WAITING_CHANGES + 1);
            assertThat(blocked.get("/api/status").json().path("state_version").asLong())
                    .isEqualTo(AdminServer.MAX_WAITING_CHANGES + 1);
        }
    }

    @Test
    void aBodyOfExactlyTheLimitIsRead() {
        byte[] body = new byte[AdminServer.MAX_BODY];
        Arrays.fill(body, (byte) ' ');
        byte[] list = "[]".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(list, 0, body, 0, list.length);

        Response r = admin.sendAsync("PUT", "/api/routes", body, AUTH).join();

        assertThat(r.status()).isEqualTo(200);
        assertThat(admin.get("/api/routes").body()).isEqualTo("[]\n");
    }

    @Test
    void anOversizeBodyIs413AndTheConnectionGoesOn() throws IOException {
        int size = AdminServer.MAX_BODY + 1;
        try (WireClient c = new WireClient(admin.adminPort())) {
            c.send("PUT /api/routes HTTP/1.1\r\nHost: x\r\nAuthorization: " + AUTH + "\r\nContent-Length: " + size
                    + "\r\n\r\n");
            c.send(new byte[size]); // read and dropped by the server
            WireClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.text()).isEqualTo("{\"error\":\"the body is larger than the admin API takes (1048576 bytes)\"}\n");

            assertThat(c.send("GET /api/status HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
        }
    }

    @Test
    void anOversizeChunkedBodyIs413Too() throws IOException {
        int chunk = AdminServer.MAX_BODY / 2 + 1;
        try (WireClient c = new WireClient(admin.adminPort())) {
            c.send("PUT /api/routes HTTP/1.1\r\nHost: x\r\nAuthorization: " + AUTH
                    + "\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i < 2; i++) {
                c.send(Integer.toHexString(chunk) + "\r\n");
                c.send(new byte[chunk]);
                c.send("\r\n");
            }
            c.send("0\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(413);
            assertThat(c.send("GET /api/status HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
        }
        assertThat(admin.get("/api/routes").json()).hasSize(2);
    }

    @Test
    void anOversizeBodyAnnouncedWithExpectContinueIsRefusedBeforeItIsSent() throws IOException {
        try (WireClient c = new WireClient(admin.adminPort())) {
            c.send("PUT /api/routes HTTP/1.1\r\nHost: x\r\nAuthorization: " + AUTH + "\r\nContent-Length: "
                    + (AdminServer.MAX_BODY + 1) + "\r\nExpect: 100-continue\r\n\r\n");
            WireClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.text()).contains("the body is larger than the admin API takes");
        }
    }

    @Test
    void aRequestThatIsNotHttpIs400AndClosed() throws IOException {
        try (WireClient c = new WireClient(admin.adminPort())) {
            c.send("HELLO\r\n\r\n");
            WireClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.text()).startsWith("{\"error\":\"the request could not be read as HTTP/1.1: ");
            assertThat(c.closedByPeer()).isTrue();
        }
    }
}
