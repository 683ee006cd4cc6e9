package dev.sluice.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.testing.OriginServer;
import dev.sluice.testing.TestAdmin;
import dev.sluice.testing.WireClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/live}: a watcher with the token sees each request going through the proxy, with
 * the header fields it came with, as server-sent events; under load it is shown a sample, and told
 * how many it was not shown.
 */
class LiveTrafficTest {

    private static final String TOKEN = "live-s3cret";

    @TempDir
    Path dir;
    private OriginServer origin;
    private TestAdmin admin;

    @BeforeEach
    void start() {
        origin = OriginServer.start("o");
        admin = TestAdmin.toOne(dir, origin.port(), TOKEN);
    }

    @AfterEach
    void stop() {
        admin.close();
        origin.close();
    }

    @Test
    void liveTrafficNeedsTheToken() {
        assertThat(admin.send("GET", "/api/live", null, null).status()).isEqualTo(401);
        assertThat(admin.send("GET", "/api/live", null, TestAdmin.bearer("wrong")).status()).isEqualTo(401);
        assertThat(admin.send("GET", "/api/live?rate=1000", null, TestAdmin.bearer(TOKEN)).status()).isEqualTo(400);
    }

    @Test
    void aWatcherSeesEachRequestWithItsHeadersAndASampleUnderLoad() throws Exception {
        try (WireClient watcher = new WireClient(admin.adminPort())) {
            watcher.send("GET /api/live?rate=5 HTTP/1.1\r\nHost: admin\r\n" + "Authorization: "
                    + TestAdmin.bearer(TOKEN) + "\r\n\r\n");
            BufferedReader events = new BufferedReader(new InputStreamReader(watcher.input(), StandardCharsets.UTF_8));
            assertThat(events.readLine()).isEqualTo("HTTP/1.1 200 OK");
            String line;
            boolean eventStream = false;
            while (!(line = events.readLine()).isEmpty()) {
                eventStream |= line.equalsIgnoreCase("content-type: text/event-stream; charset=utf-8");
            }
            assertThat(eventStream).isTrue();

            try (WireClient client = new WireClient(admin.proxyPort())) {
                client.send("GET /watched?x=1 HTTP/1.1\r\nHost: shop.test\r\nX-Trace: abc\r\n\r\n").read();
            }
            JsonNode first = next(events);
            assertThat(first.path("method").asText()).isEqualTo("GET");
            assertThat(first.path("host").asText()).isEqualTo("shop.test");
            assertThat(first.path("path").asText()).isEqualTo("/watched?x=1");
            assertThat(first.path("status").asInt()).isEqualTo(200);
            assertThat(first.path("backend").asText()).isEqualTo("127.0.0.1:" + origin.port());
            assertThat(first.path("headers").toString()).contains("[\"X-Trace\",\"abc\"]").contains("[\"Host\",\"shop.test\"]");

            // 60 at once against 5 a second: a sample is shown, and the next event says how many were not.
            try (WireClient client = new WireClient(admin.proxyPort())) {
                for (int i = 0; i < 60; i++) {
                    client.send(WireClient.get("shop.test", "/burst/" + i)).read();
                }
                Thread.sleep(1200);
                client.send(WireClient.get("shop.test", "/after")).read();
            }
            int shown = 0;
            JsonNode e;
            do {
                e = next(events);
                shown++;
            } while (!e.path("path").asText().equals("/after"));
            assertThat(shown).as("events shown of 61").isLessThan(20);
            assertThat(e.path("skipped").asLong()).isPositive();
        }
    }

    /**
     * The next event's JSON; chunk sizes, blank lines and pings between events are passed over.
     * Pings keep the stream alive, so a missing event is caught by a deadline, not the socket's timeout.
     */
    private static JsonNode next(BufferedReader events) throws IOException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (String line; System.nanoTime() < end && (line = events.readLine()) != null; ) {
            if (line.startsWith("data: ")) {
                return new ObjectMapper().readTree(line.substring("data: ".length()));
            }
        }
        throw new IOException("no event within 10 s");
    }
}
