package dev.sluice.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.config.BackendConfig;
import dev.sluice.config.HostPort;
import dev.sluice.config.RouteConfig;
import dev.sluice.config.DynamicState;
import dev.sluice.store.StateReport.Damaged;
import dev.sluice.store.StateReport.Good;
import dev.sluice.store.StateReport.Unreadable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStateStoreTest {

    @TempDir
    Path tmp;

    Path dir;
    StateStore store;

    @BeforeEach
    void openStore() {
        dir = tmp.resolve("deep/sluice-state");
        store = StateStore.inDirectory(dir);
    }

    static DynamicState state(long version) {
        return new DynamicState(version,
                Map.of("apps", List.of(new BackendConfig(new HostPort("127.0.0.1", (int) (9000 + version)), 1))),
                version % 2 == 0 ? null : List.of(new RouteConfig("*.apps.example", "/", "apps")));
    }

    @Test
    void aNewDirectoryIsEmptyAndSaysSo() throws IOException {
        StateStore.Recovered recovered = store.load();

        assertThat(recovered.state()).isEqualTo(DynamicState.EMPTY);
        assertThat(recovered.notes()).isEmpty();
        assertThat(dir).doesNotExist(); // loading creates nothing
    }

    @Test
    void anEmptyDirectoryIsEmpty() throws IOException {
        Files.createDirectories(dir);
        assertThat(store.load().state()).isEqualTo(DynamicState.EMPTY);
    }

    @Test
    void theFirstSaveCreatesTheDirectoryAndTheFileReadsBackExactly() throws IOException {
        store.save(state(1));

        assertThat(files()).containsExactly("state-00000000000000000001.json");
        StateStore.Recovered recovered = StateStore.inDirectory(dir).load();
        assertThat(recovered.state()).isEqualTo(state(1));
        assertThat(recovered.notes()).isEmpty();
    }

    @Test
    void theFileIsAHeaderLineAndTheJsonBody() throws IOException {
        store.save(state(1));

        String text = Files.readString(dir.resolve(StateFile.name(1)));
        String body = new String(StateCodec.encode(state(1)), StandardCharsets.UTF_8);
        CRC32C crc = new CRC32C();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        assertThat(text).isEqualTo("sluice-state 1 crc32c=%08x length=%d\n%s".formatted(crc.getValue(), body.length(), body));
    }

    @Test
    void afterSeveralSavesTheNewestIsLoadedAndOnlyTwoGenerationsAreKept() throws IOException {
        for (long v = 1; v <= 5; v++) {
            store.save(state(v));
            assertThat(store.load().state()).isEqualTo(state(v));
        }
        assertThat(files()).containsExactly("state-00000000000000000004.json", "state-00000000000000000005.json");
    }

    @Test
    void aTornNewestFileFallsBackToThePreviousWithANote() throws IOException {
        store.save(state(41));
        store.save(state(42));
        Path newest = dir.resolve(StateFile.name(42));
        byte[] whole = Files.readAllBytes(newest);
        for (int cut : new int[] {0, 1, 20, whole.length / 2, whole.length - 1}) {
            Files.write(newest, Arrays.copyOf(whole, cut));

            StateStore.Recovered recovered = store.load();

            assertThat(recovered.state()).as("cut at %d", cut).isEqualTo(state(41));
            assertThat(recovered.notes()).as("cut at %d", cut).singleElement().asString()
                    .startsWith("state-00000000000000000042.json is damaged (")
                    .endsWith("); using state-00000000000000000041.json, the previous good copy");
        }
    }

    @Test
    void aFlippedBitInTheBodyIsACheckSumMismatch() throws IOException {
        store.save(state(41));
        store.save(state(42));
        Path newest = dir.resolve(StateFile.name(42));
        byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length - 5] ^= 0x04;
        Files.write(newest, bytes);

        StateStore.Recovered recovered = store.load();

        assertThat(recovered.state()).isEqualTo(state(41));
        assertThat(recovered.notes()).singleElement().asString()
                .matches("state-00000000000000000042\\.json is damaged \\(checksum mismatch: stored [0-9a-f]{8},"
                        + " computed [0-9a-f]{8}\\); using state-00000000000000000041\\.json, the previous good copy");
    }

    @Test
    void eachKindOfDamageIsNamed() throws IOException {
        byte[] good = StateFile.encode(state(7));
        String header = new String(good, 0, indexOf(good, '\n'), StandardCharsets.US_ASCII);
        byte[] body = Arrays.copyOfRange(good, header.length() + 1, good.length);

        assertThat(problem(new byte[0])).isEqualTo("empty file");
        assertThat(problem("GET / HTTP/1.1\r\nHost: x\r\n\r\n")).isEqualTo(
                "the header is not \"sluice-state 1 crc32c=<8 hex> length=<bytes>\": \"GET / HTTP/1.1?\"");
        assertThat(problem("x".repeat(200))).isEqualTo("no header line (cut short, or not a sluice state file)");
        assertThat(problem("sluice-state 2 whatever\n{}")).isEqualTo(
                "format \"2\" is not one this sluice reads (1): written by a newer version, or damaged");
        assertThat(problem(header.toUpperCase() + "\n" + new String(body, StandardCharsets.UTF_8)))
                .startsWith("the header is not");
        assertThat(problem(header + "\n" + new String(body, StandardCharsets.UTF_8) + "more"))
                .isEqualTo("length mismatch: the header says %d bytes of body, the file has %d", body.length, body.length + 4);
        assertThat(problem(Arrays.copyOf(good, good.length - 3)))
                .isEqualTo("length mismatch: the header says %d bytes of body, the file has %d (cut short)",
                        body.length, body.length - 3);
        String wrongBody = "{\"version\":7,\"pools\":{},\"routes\":null,\"x\":1}";
        assertThat(problem(withHeader(wrongBody))).isEqualTo(
                "the checksum is right but the content is not a state: $.x: unknown field (expected only pools, routes, version)");
        assertThat(problem(StateFile.encode(state(8)))).isEqualTo(
                "its name says version 7 but it holds version 8 (renamed or copied by hand?)");
    }

    @Test
    void unfinishedSavesAreIgnoredAndDeleted() throws IOException {
        store.save(state(1));
        Path unfinished = dir.resolve(StateFile.unfinishedName(2));
        Files.write(unfinished, Arrays.copyOf(StateFile.encode(state(2)), 30));
        Path unrelated = Files.writeString(dir.resolve("notes.txt"), "mine");

        StateStore.Recovered recovered = store.load();

        assertThat(recovered.state()).isEqualTo(state(1));
        assertThat(recovered.notes()).containsExactly("deleted state-00000000000000000002.json.tmp,"
                + " a save a crash interrupted (its change was never acknowledged)");
        assertThat(unfinished).doesNotExist();
        assertThat(unrelated).exists();
    }

    @Test
    void whenEveryFileIsDamagedLoadRefusesAndSaysWhatToDo() throws IOException {
        store.save(state(1));
        store.save(state(2));
        Files.writeString(dir.resolve(StateFile.name(1)), "");
        Files.writeString(dir.resolve(StateFile.name(2)), "garbage\n");

        assertThatThrownBy(store::load)
                .isInstanceOf(IOException.class)
                .hasMessageContaining("every state file in " + dir + " is damaged:")
                .hasMessageContaining("state-00000000000000000002.json (the header is not")
                .hasMessageContaining("state-00000000000000000001.json (empty file)")
                .hasMessageContaining("sluice state verify --config FILE")
                .hasMessageContaining("mv " + dir + " " + dir + ".damaged");
    }

    @Test
    void anUnreadableNewestFileStopsTheStartInsteadOfGoingBackInTime() throws IOException {
        store.save(state(1));
        Files.createDirectory(dir.resolve(StateFile.name(2))); // unreadable as a file, even for root

        assertThat(StateStore.verify(dir).generations().getFirst()).isInstanceOf(Unreadable.class);
        assertThatThrownBy(store::load)
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("state-00000000000000000002.json in " + dir + " cannot be read (")
                .hasMessageEndingWith("make it readable (permissions, disk), then start again");
    }

    @Test
    void aSaveAfterRecoveryReplacesTheDamagedFileAndKeepsTheGoodOne() throws IOException {
        store.save(state(41));
        store.save(state(42));
        Files.writeString(dir.resolve(StateFile.name(42)), "torn");
        Files.writeString(dir.resolve(StateFile.name(43)), "torn too");
        DynamicState recovered = store.load().state();

        store.save(state(recovered.version() + 1));

        assertThat(files()).containsExactly("state-00000000000000000041.json", "state-00000000000000000042.json");
        assertThat(store.load()).isEqualTo(new StateStore.Recovered(state(42), List.of()));
    }

    @Test
    void verifyReportsEveryFileAndChangesNothing() throws IOException {
        store.save(state(1));
        store.save(state(2));
        Files.writeString(dir.resolve(StateFile.name(3)), "torn");
        Files.writeString(dir.resolve(StateFile.unfinishedName(4)), "torn");

        StateReport report = StateStore.verify(dir);

        assertThat(report.generations()).extracting(StateReport.Generation::name).containsExactly(
                StateFile.name(3), StateFile.name(2), StateFile.name(1));
        assertThat(report.generations().get(0)).isInstanceOf(Damaged.class);
        assertThat(report.generations().get(1)).isEqualTo(new Good(dir.resolve(StateFile.name(2)), state(2)));
        assertThat(report.recovered()).map(Good::state).contains(state(2));
        assertThat(report.allGood()).isFalse();
        assertThat(report.unfinished()).containsExactly(dir.resolve(StateFile.unfinishedName(4)));
        assertThat(files()).hasSize(4);
    }

    @Test
    void aStateDirThatIsAFileIsAClearError() throws IOException {
        Files.createDirectories(dir.getParent());
        Files.writeString(dir, "oops");

        assertThatThrownBy(store::load).hasMessage(dir + " is not a directory; state_dir must name a directory"
                + " (sluice creates it at the first change through the API)");
        assertThatThrownBy(() -> store.save(state(1))).hasMessageStartingWith("cannot save the state in " + dir + ": ");
    }

    @Test
    void aFailedSaveLeavesNothingBehind() throws IOException {
        store.save(state(1));
        Path tmp = Files.createDirectory(dir.resolve(StateFile.unfinishedName(2))); // cannot be written as a file

        assertThatThrownBy(() -> store.save(state(2)))
                .hasMessageStartingWith("cannot save the state in " + dir + ": " + tmp)
                .hasMessageEndingWith("; check that the directory is writable and the disk is not full");
        assertThat(files()).containsExactly(StateFile.name(1));
    }

    private String problem(String file) {
        return problem(file.getBytes(StandardCharsets.UTF_8));
    }

    /** What is wrong with {@code file} as the generation of version 7. */
    private String problem(byte[] file) {
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve(StateFile.name(7)), file);
            return switch (StateStore.verify(dir).generations().getFirst()) {
                case Damaged d -> d.problem();
                case StateReport.Generation g -> throw new AssertionError("not damaged: " + g);
            };
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String withHeader(String body) {
        CRC32C crc = new CRC32C();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        crc.update(bytes);
        return "sluice-state 1 crc32c=%08x length=%d\n%s".formatted(crc.getValue(), bytes.length, body);
    }

    private static int indexOf(byte[] bytes, char c) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private List<String> files() throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
