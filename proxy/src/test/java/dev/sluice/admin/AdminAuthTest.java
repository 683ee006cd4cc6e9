package dev.sluice.admin;

import static dev.sluice.testing.TestAdmin.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.TestAdmin;
import dev.sluice.testing.TestAdmin.Response;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reads are open; changes need {@code Authorization: Bearer <token>}, and none are taken without a token. */
class AdminAuthTest {

    private static final String CONFIG = """
            listen: 127.0.0.1:0
            pools:
              web: { backends: [127.0.0.1:9001] }
            routes:
              - pool: web
            """;
    private static final String ADD = "/api/pools/web/backends/127.0.0.1:9002";

    @TempDir
    Path dir;

    @Test
    void withoutAConfiguredTokenEveryChangeIs403AndReadsWork() {
        try (TestAdmin admin = TestAdmin.start(dir, CONFIG, null)) {
            String before = admin.get("/api/config").body();
            for (String[] change : new String[][] {
                {"PUT", ADD}, {"DELETE", "/api/pools/web/backends/127.0.0.1:9001"}, {"PUT", "/api/routes"},
                {"POST", "/api/reload"}}) {
                Response r = admin.send(change[0], change[1], "[]", bearer("anything"));
                assertThat(r.status()).isEqualTo(403);
                assertThat(r.body()).isEqualTo("{\"error\":\"changes are disabled: no admin token is configured"
                        + " (admin_token_file or SLUICE_ADMIN_TOKEN)\"}\n");
            }
            assertThat(admin.get("/api/config").body()).isEqualTo(before);
            assertThat(admin.get("/api/status").status()).isEqualTo(200);
        }
    }

    @Test
    void aMissingTokenIs401WithABearerChallenge() {
        try (TestAdmin admin = TestAdmin.start(dir, CONFIG, "right")) {
            Response r = admin.send("PUT", ADD, null, null);

            assertThat(r.status()).isEqualTo(401);
            assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer");
            assertThat(r.error()).isEqualTo("changes need the admin token: send Authorization: Bearer <token>");
            assertThat(admin.get("/api/status").json().path("state_version").asLong()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer wrong", "Bearer righ", "Bearer right2", "Bearer RIGHT", "Basic cmlnaHQ6",
        "right", "Bearer", "Bearer "})
    void aWrongTokenIs401AndChangesNothing(String authorization) {
        try (TestAdmin admin = TestAdmin.start(dir, CONFIG, "right")) {
            Response r = admin.send("PUT", ADD, null, authorization);

            assertThat(r.status()).isEqualTo(401);
            assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
            assertThat(admin.get("/api/pools/web").json().path("backends")).hasSize(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer right", "bearer right", "BEARER  right "})
    void theRightTokenIsTakenAndTheSchemeIgnoresCase(String authorization) {
        try (TestAdmin admin = TestAdmin.start(dir, CONFIG, "right")) {
            assertThat(admin.send("PUT", ADD, null, authorization).status()).isEqualTo(201);
        }
    }

    @Test
    void theTokenIsCheckedBeforeTheRequestIsLookedAt() {
        try (TestAdmin admin = TestAdmin.start(dir, CONFIG, "right")) {
            // An unknown pool and a bad body are not told to a client without the token.
            Response r = admin.send("PUT", "/api/pools/nope/backends/127.0.0.1:1", "{oops", bearer("wrong"));
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.error()).isEqualTo("the admin token is wrong");
            assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer error=\"invalid_token\"");
        }
    }

    @Test
    void readsNeedNoToken() {
        try (TestAdmin admin = TestAdmin.start(dir, CONFIG, "right")) {
            for (String path : new String[] {"/api/config", "/api/status", "/api/pools", "/api/pools/web",
                "/api/routes"}) {
                assertThat(admin.get(path).status()).as(path).isEqualTo(200);
            }
        }
    }
}
