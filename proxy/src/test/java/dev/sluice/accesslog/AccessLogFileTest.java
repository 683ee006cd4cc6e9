package dev.sluice.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.config.AccessLogSettings;
import dev.sluice.config.AccessLogSettings.Format;
import dev.sluice.config.AccessLogSettings.Syslog;
import dev.sluice.config.HostPort;
import dev.sluice.testing.RefusingPort;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The access log into a real file: every record once, in order; logrotate's rename and reopen. */
class AccessLogFileTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void linesBeforeAReopenAreInTheRenamedFileAndLinesAfterItInANewOne() throws Exception {
        Path path = dir.resolve("access.log");
        long id = 0;
        try (AccessLog log = AccessLog.open(settings(path, Format.JSON))) {
            for (int rotation = 1; rotation <= 3; rotation++) {
                id = accept(log, id, 600);
                Files.move(path, dir.resolve("access.log." + rotation)); // logrotate renames...
                id = accept(log, id, 400); // ...lines keep going to the renamed file...
                log.reopen(); // ...until the signal
                awaitExists(path);
            }
            accept(log, id, 500);
        }

        assertThat(ids(dir.resolve("access.log.1"))).containsExactlyElementsOf(range(0, 1000));
        assertThat(ids(dir.resolve("access.log.2"))).containsExactlyElementsOf(range(1000, 2000));
        assertThat(ids(dir.resolve("access.log.3"))).containsExactlyElementsOf(range(2000, 3000));
        assertThat(ids(path)).containsExactlyElementsOf(range(3000, 3500));
    }

    @Test
    void aReopenThatFailsKeepsWritingToTheOpenFile() throws Exception {
        Path logs = Files.createDirectory(dir.resolve("logs"));
        Path path = logs.resolve("access.log");
        try (LogCapture captured = new LogCapture(); AccessLog log = AccessLog.open(settings(path, Format.JSON))) {
            accept(log, 0, 10);
            Path moved = Files.move(logs, dir.resolve("moved")); // the path's directory is gone
            log.reopen();
            accept(log, 10, 10);
            log.close();

            assertThat(ids(moved.resolve("access.log"))).containsExactlyElementsOf(range(0, 20));
            assertThat(captured.lines()).anySatisfy(line -> assertThat(line).startsWith(
                    "access_log_reopen_failed sink=file " + path + ": still writing to the file opened before"));
        }
    }

    @Test
    void closeWritesEverythingQueued() throws Exception {
        Path path = dir.resolve("access.log");
        AccessLog log = AccessLog.open(settings(path, Format.COMBINED));
        accept(log, 0, 20_000);
        log.close();

        List<String> lines = Files.readAllLines(path);
        assertThat(lines).hasSize(20_000);
        assertThat(lines.getFirst()).contains("\"GET /item/0 HTTP/1.1\"");
        assertThat(lines.getLast()).contains("\"GET /item/19999 HTTP/1.1\"");
        assertThat(log.dropped()).isZero();
        assertThat(log.lost()).isZero();

        try (LogCapture captured = new LogCapture()) {
            log.accept(Records.typical());

            assertThat(log.dropped()).as("after close").isOne();
            assertThat(captured.lines()).containsExactly(
                    "access_log_dropped queue=65536: records lost: 1 since the last warning, 1 in all: the log is closed");
        }
    }

    @Test
    void aNewFileIsNotReadableByOthers() throws IOException {
        Path path = dir.resolve("access.log");
        AccessLog.open(settings(path, Format.JSON)).close();

        assertThat(Files.getPosixFilePermissions(path))
                .contains(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)
                .doesNotContain(PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
                        PosixFilePermission.GROUP_WRITE);
    }

    @Test
    void aFileThatCannotBeOpenedStopsTheStart() {
        Path path = dir.resolve("no-such-dir").resolve("access.log");

        assertThatThrownBy(() -> AccessLog.open(settings(path, Format.JSON)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(path.toString());
    }

    @Test
    void aSinkThatFailsStopsNeitherTheOthersNorTheCaller() throws Exception {
        Path path = dir.resolve("access.log");
        try (RefusingPort refusing = RefusingPort.open(); LogCapture captured = new LogCapture()) {
            AccessLog log = AccessLog.open(new AccessLogSettings(path, false,
                    new Syslog.Tcp(new HostPort("127.0.0.1", refusing.port())), Format.JSON, 1024));
            for (long id = 0; id < 300; id++) {
                log.accept(Records.numbered(id));
                if (id % 100 == 0) {
                    Thread.sleep(20); // several batches, some while the sink waits to try again
                }
            }
            log.close();

            assertThat(ids(path)).containsExactlyElementsOf(range(0, 300));
            assertThat(log.lost()).as("the syslog sink lost every record").isEqualTo(300);
            assertThat(log.dropped()).isZero();
            assertThat(captured.lines()).anySatisfy(line -> assertThat(line)
                    .startsWith("access_log_sink_failed sink=syslog tcp://127.0.0.1:" + refusing.port() + ": ")
                    .contains("records lost: ").contains(" since the last warning, "));
        }
    }

    @Test
    void standardOutputGetsTheLines() throws IOException {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            AccessLog log = AccessLog.open(new AccessLogSettings(null, true, null, Format.COMBINED, 16));
            accept(log, 0, 3);
            log.close();
        } finally {
            System.setOut(stdout);
        }

        assertThat(captured.toString(StandardCharsets.UTF_8).lines())
                .hasSize(3)
                .allSatisfy(line -> assertThat(line).startsWith("203.0.113.7 - - [24/Nov/2026:08:15:07 +0000] \"GET"));
    }

    @Test
    void withoutADestinationNothingRunsAndEverythingIsTaken() throws IOException {
        long writers = writerThreads();
        AccessLog log = AccessLog.open(AccessLogSettings.NONE);
        assertThat(writerThreads()).isEqualTo(writers);

        log.accept(Records.typical());
        log.reopen();
        log.close();
        assertThat(log.dropped()).isZero();
    }

    private static long writerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("sluice-access-log")).count();
    }

    static AccessLogSettings settings(Path file, Format format) {
        return new AccessLogSettings(file, false, null, format, AccessLogSettings.DEFAULT_QUEUE);
    }

    /** Accepts records {@code from} to {@code from + count}; returns the next id. */
    private static long accept(AccessLog log, long from, int count) {
        for (long id = from; id < from + count; id++) {
            log.accept(Records.numbered(id));
        }
        return from + count;
    }

    private static List<Long> range(long from, long to) {
        return LongStream.range(from, to).boxed().toList();
    }

    /** The ids of the JSON lines in {@code file}, in file order. */
    private static List<Long> ids(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(line -> {
            try {
                return Long.parseLong(JSON.readTree(line).get("request_id").textValue().substring("id-".length()));
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + line, e);
            }
        }).toList();
    }

    private static void awaitExists(Path path) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!Files.exists(path)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(path + " was not opened again");
            }
            Thread.sleep(5);
        }
    }
}
