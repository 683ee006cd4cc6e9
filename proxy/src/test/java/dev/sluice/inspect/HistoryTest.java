package dev.sluice.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.OriginServer;
import dev.sluice.testing.RefusingPort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The history file: where it is, what a line holds, and that it keeps only the newest entries. */
class HistoryTest {

    @TempDir
    Path dir;

    /** A transfer of {@code spec} that never connected: what the history keeps of a request does not depend on it. */
    private static Transfer sent(RequestSpec spec) {
        return new Transfer(spec, List.of(), Duration.ofMillis(1), null);
    }

    @Test
    void theFileIsInTheUsersStateDirectory() {
        assertThat(History.defaultFile(Map.of("XDG_STATE_HOME", "/var/state", "HOME", "/home/ada")))
                .isEqualTo(Path.of("/var/state/sluice/inspect-history.jsonl"));
        assertThat(History.defaultFile(Map.of("XDG_STATE_HOME", "relative/ignored", "HOME", "/home/ada")))
                .isEqualTo(Path.of("/home/ada/.local/state/sluice/inspect-history.jsonl"));
        assertThat(History.defaultFile(Map.of("HOME", "/home/ada")))
                .isEqualTo(Path.of("/home/ada/.local/state/sluice/inspect-history.jsonl"));
    }

    @Test
    void anEntryReadsBackAsTheRequestItWas() throws Exception {
        History h = History.at(History.defaultFile(Map.of("XDG_STATE_HOME", dir.toString())));
        Instant when = Instant.parse("2025-03-01T10:00:00.123456789Z");
        try (OriginServer origin = OriginServer.start("o"); RefusingPort refusing = RefusingPort.open()) {
            RequestSpec spec = CurlCommand.parse(List.of("-X", "PATCH", "-H", "Authorization: Bearer t", "--json",
                    "{\"a\":1}", "http://127.0.0.1:" + origin.port() + "/items/7")).request();
            Transfer ok = Client.create().send(spec);
            Transfer refused = Client.create().send(spec.toBuilder().url(Url.parse("http://127.0.0.1:" + refusing.port()))
                    .build());

            h.append(HistoryEntry.of(ok, when).orElseThrow());
            h.append(HistoryEntry.of(refused, when.plusSeconds(1)).orElseThrow());

            History.Loaded loaded = h.load();
            assertThat(loaded.skipped()).isZero();
            assertThat(loaded.entries()).hasSize(2);
            HistoryEntry first = loaded.entries().getFirst();
            assertThat(first.time()).isEqualTo(when);
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.total()).isEqualTo(ok.total());
            assertThat(first.request()).isEqualTo(spec);
            HistoryEntry second = loaded.entries().get(1);
            assertThat(second.status()).isNull();
            assertThat(second.error()).startsWith("(7) Failed to connect to 127.0.0.1 port " + refusing.port());
            assertThat(Files.getPosixFilePermissions(h.file())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.readString(h.file())).startsWith("{\"time\":\"2025-03-01T10:00:00.123456789Z\",\"curl\":\"curl ");
        }
    }

    @Test
    void onlyTheNewestEntriesAreKept() throws Exception {
        History h = History.at(dir.resolve("h.jsonl"));
        Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
        for (int i = 0; i < History.MAX_ENTRIES + 20; i++) {
            RequestSpec spec = RequestSpec.builder(Url.parse("http://h/" + i)).build();
            h.append(HistoryEntry.of(sent(spec), t0.plusSeconds(i)).orElseThrow());
        }

        List<HistoryEntry> entries = h.load().entries();
        assertThat(entries).hasSize(History.MAX_ENTRIES);
        assertThat(entries.getFirst().request().url().path()).isEqualTo("/20");
        assertThat(entries.getLast().request().url().path()).isEqualTo("/" + (History.MAX_ENTRIES + 19));
    }

    @Test
    void aLargeBodyIsLeftOutAndCounted() throws Exception {
        RequestSpec spec = RequestSpec.builder(Url.parse("http://h/upload")).method("POST")
                .body(ByteString.utf8("x".repeat(History.MAX_ENTRY_BYTES))).build();

        HistoryEntry e = HistoryEntry.of(sent(spec), Instant.now()).orElseThrow();

        assertThat(e.bodyOmitted()).isEqualTo(History.MAX_ENTRY_BYTES);
        assertThat(e.request().hasBody()).isFalse();
        assertThat(e.request().method()).isEqualTo("POST");
    }

    @Test
    void linesThatAreNotEntriesArePassedOverAndCounted() throws Exception {
        Path file = dir.resolve("h.jsonl");
        Files.writeString(file, "{\"time\":\"2025-01-01T00:00:00Z\",\"curl\":\"curl http://h/\",\"total_ms\":1.5}\n"
                + "{\"time\":\"2025-01-01T00:00:01Z\",\"cu\n"
                + "not json\n");

        History.Loaded loaded = History.at(file).load();

        assertThat(loaded.entries()).extracting(HistoryEntry::curl).containsExactly("curl http://h/");
        assertThat(loaded.entries().getFirst().total()).isEqualTo(Duration.ofNanos(1_500_000));
        assertThat(loaded.skipped()).isEqualTo(2);
    }
}
