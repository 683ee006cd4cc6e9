package dev.sluice.inspect.tui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.OriginServer;
import dev.sluice.testing.TestAdmin;
import dev.sluice.testing.Tmux;
import dev.sluice.testing.WireClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice inspect} as a person uses it: its own JVM in a 100x30 tmux terminal, keys in, screen out. */
class InspectorTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static OriginServer origin;

    @TempDir
    Path state;

    @BeforeAll
    static void startOrigin() {
        origin = OriginServer.start("tui");
    }

    @AfterAll
    static void stopOrigin() {
        origin.close();
    }

    @Test
    void sendShowsTheStatusAndTheBody() throws Exception {
        try (Tmux t = inspect(url("/hello"))) {
            send(t, "/hello");
            // The status bar may be drawn a moment after the response pane.
            all(t, "200 OK · body", "HTTP/1.1 200 OK", "method: GET");
        }
    }

    @Test
    void anEditedHeaderIsSent() throws Exception {
        try (Tmux t = inspect(url("/edit"), "-H", "X-Probe: one")) {
            t.awaitText("X-Probe: one", WAIT);
            t.keys("C-r");
            t.awaitText("header: x-probe: one", WAIT);
            t.keys("Tab", "Tab"); // the URL line, the parameters, then the headers
            t.type("X-Added: two").keys("Enter");
            t.keys("C-r");
            all(t, "header: x-added: two", "header: x-probe: one");
        }
    }

    @Test
    void aRequestFromTheHistoryIsBackInTheEditor() throws Exception {
        try (Tmux t = inspect(url("/first"))) {
            send(t, "/first");
            t.keys("End", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace").type("second");
            t.keys("C-r");
            t.awaitText("uri: /second", WAIT);
            t.keys("F2");
            t.awaitText("History", WAIT);
            t.keys("Down", "Enter"); // newest first: the second request, then the first
            all(t, "loaded from the history", "GET " + url("/first"));
        }
    }

    @Test
    void theWireViewShowsTheExactBytes() throws Exception {
        try (Tmux t = inspect(url("/wire?q=1"))) {
            send(t, "/wire?q=1");
            t.keys("C-w");
            all(t, "GET /wire?q=1 HTTP/1.1", "Host: 127.0.0.1:" + origin.port(), "HTTP/1.1 200 OK", "X-origin: tui");
        }
    }

    @Test
    void searchFindsInTheBodyAndTheBodyIsSavedAndTheRequestCopiedAsCurl() throws Exception {
        try (Tmux t = inspect(url("/kept"), "-H", "X-Copy: me")) {
            send(t, "/kept");
            t.keys("C-f");
            t.awaitText("Find in the response", WAIT);
            t.type("x-copy").keys("Enter");
            t.awaitText("match 1 of 1 for \"x-copy\"", WAIT);

            Path saved = state.resolve("saved.bin");
            t.keys("C-s");
            t.awaitText("Write the response body", WAIT);
            t.keys("BSpace", "BSpace", "BSpace", "BSpace"); // the name offered, "kept", for a path of the test's own
            t.type(saved.toString()).keys("Enter");
            t.awaitText("body written to " + saved, WAIT);
            assertThat(Files.readString(saved)).startsWith("origin: tui\n").contains("uri: /kept");

            t.keys("C-y");
            all(t, "The request as a curl command", "curl", url("/kept"), "X-Copy: me");
        }
    }

    @Test
    void helpListsTheKeys() throws Exception {
        try (Tmux t = inspect()) {
            t.awaitText("F1 help", WAIT);
            t.keys("F1");
            all(t, "send the request", "Ctrl-R", "Ctrl-W", "Ctrl-Y", "search the response", "quit");
        }
    }

    @Test
    void aPastedCurlCommandFillsThePanes() throws Exception {
        try (Tmux t = inspect()) {
            t.awaitText("F1 help", WAIT);
            t.type("curl '" + url("/pasted?x=1&y=two") + "' -H 'X-Pasted: yes' --data-raw 'hello'").keys("Enter");
            all(t, "POST " + url("/pasted?x=1&y=two"), "x=1", "y=two", "X-Pasted: yes", "hello");
            t.keys("C-r");
            t.awaitText("header: x-pasted: yes", WAIT);
        }
    }

    @Test
    void aRequestSeenLiveThroughAProxyIsSentAgain() throws Exception {
        try (TestAdmin proxy = TestAdmin.toOne(state, origin.port(), "live-token");
                Tmux t = inspect("--live", "http://127.0.0.1:" + proxy.adminPort(), "--token", "live-token")) {
            t.awaitText("F3 lists them", WAIT);
            try (WireClient c = new WireClient(proxy.proxyPort())) {
                c.send("GET /seen-live?n=1 HTTP/1.1\r\nHost: shop.test\r\nX-Trace: from-a-browser\r\n\r\n").read();
            }
            t.awaitText("live: 200 GET     shop.test/seen-live?n=1", WAIT);
            t.keys("F3");
            t.awaitText("Live traffic", WAIT);
            t.keys("Enter");
            all(t, "loaded from live traffic", "X-Trace: from-a-browser", "Host: shop.test");
            t.keys("C-r");
            // To the backend that answered it, with the header fields it first came with.
            all(t, "header: x-trace: from-a-browser", "uri: /seen-live?n=1", "header: host: shop.test");
        }
    }

    @Test
    void quitGivesTheTerminalBack() throws Exception {
        try (Tmux t = inspect()) {
            t.awaitText("F1 help", WAIT);
            t.keys("C-q");
            t.await(s -> !s.contains("F1 help"), "the inspector gone", WAIT);
        }
    }

    /**
     * Waits until every one of {@code texts} is on the screen at once: the screen is redrawn a part
     * at a time, so one text there says nothing yet of the others.
     */
    private static void all(Tmux t, String... texts) throws IOException, InterruptedException {
        t.await(screen -> Arrays.stream(texts).allMatch(screen::contains), String.join(", ", texts), WAIT);
    }

    /** Sends the request shown, a GET of {@code path}, and waits for the origin's answer; the screen then. */
    private static String send(Tmux t, String path) throws IOException, InterruptedException {
        t.awaitText("GET " + url(path), WAIT);
        t.keys("C-r");
        return t.awaitText("uri: " + path, WAIT);
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + origin.port() + path;
    }

    /** {@code sluice inspect ARGS} in a 100x30 terminal, with its history in a directory of this test's own. */
    private Tmux inspect(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("env", "XDG_STATE_HOME=" + state,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-cp", System.getProperty("java.class.path"), "dev.sluice.Sluice", "inspect"));
        command.addAll(List.of(args));
        return Tmux.start(command.stream().map(InspectorTest::quoted).collect(Collectors.joining(" ")), 100, 30);
    }

    private static String quoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
