package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.testing.OriginServer;
import dev.sluice.testing.WireClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice serve} with an access log file, as an operator runs it: each request's line carries
 * the bytes its client counted, and SIGUSR1 after a rename (what logrotate does) starts a new file
 * without losing a line.
 */
class AccessLogRotationTest {

    @TempDir
    Path dir;

    @Test
    void linesCarryTheClientsByteCountsAndSurviveRotation() throws Exception {
        Path log = dir.resolve("access.log");
        int port = CliTest.freePorts(1)[0];
        try (OriginServer origin = OriginServer.start("o")) {
            Path config = Files.writeString(dir.resolve("sluice.yaml"), """
                    listen: 127.0.0.1:%d
                    pools: { web: { backends: [127.0.0.1:%d] } }
                    routes: [ { pool: web } ]
                    access_log: { path: %s, format: json }
                    """.formatted(port, origin.port(), log));
            try (SluiceProcess proxy = SluiceProcess.start("serve", "--config", config.toString())) {
                proxy.awaitOutput("listening on", Duration.ofSeconds(20));
                long sent;
                long read;
                try (WireClient c = new WireClient(port)) {
                    assertThat(c.send("GET /bytes/1234 HTTP/1.1\r\nHost: shop.test\r\nUser-Agent: t/1\r\n\r\n")
                            .read().status()).isEqualTo(200);
                    sent = c.bytesSent();
                    read = c.bytesRead();
                }
                JsonNode line = new ObjectMapper().readTree(awaitLines(log, 1).getFirst());
                assertThat(line.path("bytes_in").asLong()).isEqualTo(sent);
                assertThat(line.path("bytes_out").asLong()).isEqualTo(read);
                assertThat(line.path("status").asInt()).isEqualTo(200);
                assertThat(line.path("host").asText()).isEqualTo("shop.test");
                assertThat(line.path("path").asText()).isEqualTo("/bytes/1234");
                assertThat(line.path("user_agent").asText()).isEqualTo("t/1");
                assertThat(line.path("termination").asText()).isEqualTo("ok");

                Path rotated = Files.move(log, dir.resolve("access.log.1"));
                proxy.signal("USR1");
                proxy.awaitOutput("SIGUSR1", Duration.ofSeconds(10));
                try (WireClient c = new WireClient(port)) {
                    assertThat(c.send(WireClient.get("shop.test", "/after")).read().status()).isEqualTo(200);
                }
                assertThat(new ObjectMapper().readTree(awaitLines(log, 1).getFirst()).path("path").asText())
                        .isEqualTo("/after");
                assertThat(Files.readAllLines(rotated)).hasSize(1);
            }
        }
    }

    /** The file's lines, once it has {@code n}. */
    private static List<String> awaitLines(Path file, int n) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < end) {
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file);
                if (lines.size() >= n) {
                    return lines;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("fewer than " + n + " lines in " + file);
    }
}
