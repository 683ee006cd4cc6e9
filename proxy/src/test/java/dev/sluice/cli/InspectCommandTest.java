package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import dev.sluice.inspect.History;
import dev.sluice.testing.OriginServer;
import dev.sluice.testing.RawServer;
import dev.sluice.testing.RefusingPort;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice inspect --print} as a script runs it: its own process, its output and its exit code. */
class InspectCommandTest {

    static OriginServer origin;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        origin = OriginServer.start("o", Map.of(
                "/json", (HttpExchange ex) -> reply(ex, 200, "application/json", "{\"ok\":true,\"items\":[1,2]}"),
                "/missing", (HttpExchange ex) -> reply(ex, 404, "text/plain", "no such thing\n")));
    }

    private static void reply(HttpExchange ex, int status, String type, String body) throws java.io.IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    @AfterAll
    static void stop() {
        origin.close();
    }

    private SluiceProcess inspect(String... args) throws Exception {
        String[] all = new String[args.length + 1];
        all[0] = "inspect";
        System.arraycopy(args, 0, all, 1, args.length);
        return SluiceProcess.start(Map.of("XDG_STATE_HOME", dir.toString()), all);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + origin.port() + path;
    }

    @Test
    void printsTheRequestTheResponseAndASummaryAndKeepsItInTheHistory() throws Exception {
        Path data = Files.writeString(dir.resolve("data.json"), "{\"name\":\"ada\"}");
        try (SluiceProcess p = inspect("--print", "-H", "Content-Type: application/json", "-d", "@" + data, url("/json"))) {
            assertThat(p.await()).isZero();
            assertThat(p.output())
                    .contains("> POST /json HTTP/1.1\n> Host: 127.0.0.1:" + origin.port() + "\n")
                    .contains("> Content-Length: 14\n>\n{\n  \"name\": \"ada\"\n}\n")
                    .contains("< HTTP/1.1 200 OK\n")
                    .contains("<\n{\n  \"ok\": true,\n  \"items\": [\n    1,\n    2\n  ]\n}\n")
                    .containsPattern("\\* 200 OK · body 25 B · sent \\d+ B · received \\d+ B · dns [0-9.]+ ms · connect");
        }
        String history = Files.readString(History.defaultFile(Map.of("XDG_STATE_HOME", dir.toString())));
        assertThat(history).contains("\"status\":200").contains("--data-raw '{\\\"name\\\":\\\"ada\\\"}'");
    }

    @Test
    void anHttpErrorExits22AndStillShowsTheBody() throws Exception {
        try (SluiceProcess p = inspect("--print", "--no-history", url("/missing"))) {
            assertThat(p.await()).isEqualTo(22);
            assertThat(p.output()).contains("< HTTP/1.1 404 Not Found\n").contains("no such thing\n");
        }
        assertThat(dir.resolve("sluice")).doesNotExist();
    }

    @Test
    void failuresExitWithCurlsCodes() throws Exception {
        try (RefusingPort refusing = RefusingPort.open();
                SluiceProcess p = inspect("--print", "http://127.0.0.1:" + refusing.port() + "/")) {
            assertThat(p.await()).isEqualTo(7);
            assertThat(p.output()).contains("sluice inspect: (7) Failed to connect to 127.0.0.1 port " + refusing.port());
        }
        try (SluiceProcess p = inspect("--print", "-s", "http://no-such-host.invalid/")) {
            assertThat(p.await()).isEqualTo(6);
            assertThat(p.output()).contains("* no response: (6) Could not resolve host: no-such-host.invalid")
                    .doesNotContain("sluice inspect: (6)"); // -s without -S: no error message
        }
        try (RawServer silent = RawServer.start(s -> {
                    RawServer.readHead(s.getInputStream());
                    Thread.sleep(10_000);
                });
                SluiceProcess p = inspect("--print", "-m", "0.5", "http://127.0.0.1:" + silent.port() + "/")) {
            assertThat(p.await()).isEqualTo(28);
            assertThat(p.output()).contains("sluice inspect: (28) Operation timed out after");
        }
    }

    @Test
    void badArgumentsExit2WithWhatWasWrongAndHelpExits0() throws Exception {
        try (SluiceProcess p = inspect("--print", "--locaton", url("/"))) {
            assertThat(p.await()).isEqualTo(2);
            assertThat(p.output()).contains("sluice inspect: unknown option --locaton; did you mean --location?");
        }
        try (SluiceProcess p = inspect("--help")) {
            assertThat(p.await()).isZero();
            assertThat(p.output()).startsWith("Usage: sluice inspect [--no-history] [--live ADMIN-URL [--token T]] [CURL-ARGUMENTS...]\n"
                    + "       sluice inspect --print [--raw] [--no-history] CURL-ARGUMENTS...");
        }
        try (SluiceProcess p = inspect("-s", "--print", url("/"))) {
            assertThat(p.await()).isEqualTo(2);
            assertThat(p.output()).contains("--print is sluice inspect's own option: put it before the curl arguments");
        }
        try (SluiceProcess p = inspect("--print", url("/"), "--raw")) {
            assertThat(p.await()).isEqualTo(2);
            assertThat(p.output()).contains("--raw is sluice inspect's own option: put it before the curl arguments");
        }
    }

    @Test
    void rawPrintsTheExactBytes() throws Exception {
        // a body of control bytes, and UTF-8 so that the captured output compares as text
        byte[] reply = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n\u0000\u0001é".getBytes(StandardCharsets.UTF_8);
        AtomicReference<String> request = new AtomicReference<>();
        try (RawServer server = RawServer.start(s -> {
                    request.set(RawServer.readHead(s.getInputStream()));
                    s.getOutputStream().write(reply);
                });
                SluiceProcess p = inspect("--print", "--raw", "--no-history", "http://127.0.0.1:" + server.port() + "/bin")) {
            assertThat(p.await()).isZero();
            assertThat(p.output()).startsWith(request.get() + new String(reply, StandardCharsets.UTF_8) + "* 200 OK");
        }
    }

    @Test
    void aPastedLineAndTheBodyWrittenToAFile() throws Exception {
        Path body = dir.resolve("body.json");
        try (SluiceProcess p = inspect("--print", "--no-history",
                "curl '" + url("/json") + "' \\\n  -H 'accept: application/json' \\\n  -o '" + body + "' --compressed")) {
            assertThat(p.await()).isZero();
            assertThat(p.output()).contains("> accept: application/json\n").contains("[body: 25 B written to " + body + "]");
        }
        assertThat(Files.readString(body)).isEqualTo("{\"ok\":true,\"items\":[1,2]}");
    }
}
