package dev.sluice.inspect;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.math.BigDecimal;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The requests sent, oldest first, one JSON line each ({@link HistoryEntry}): at most
 * {@link #MAX_ENTRIES}, the oldest dropped first. By default under the user's state directory,
 * {@code $XDG_STATE_HOME/sluice/inspect-history.jsonl} (else {@code ~/.local/state/…}), created
 * readable by the user alone: its lines hold headers such as {@code Authorization} and
 * {@code Cookie}, as a shell history does. Appends from several processes take turns on a lock
 * file beside it.
 */
public final class History {

    public static final int MAX_ENTRIES = 500;
    /** The longest curl line kept; a longer request is kept without its body. */
    public static final int MAX_ENTRY_BYTES = 64 * 1024;
    public static final String FILE_NAME = "inspect-history.jsonl";
    /** What is read of a file that grew past what appends make: its end. */
    static final long MAX_FILE_BYTES = (long) MAX_ENTRIES * (MAX_ENTRY_BYTES + 1024);

    private static final ObjectMapper JSON = new JsonMapper();

    private final Path file;

    private History(Path file) {
        this.file = file;
    }

    public static History at(Path file) {
        return new History(requireNonNull(file, "file").toAbsolutePath());
    }

    /**
     * Where the history is kept (XDG Base Directory Specification): {@code $XDG_STATE_HOME} when
     * it is set to an absolute path, else {@code $HOME/.local/state}; then {@code sluice/}.
     */
    public static Path defaultFile(Map<String, String> env) {
        String state = env.get("XDG_STATE_HOME");
        Path base = state != null && !state.isBlank() && Path.of(state).isAbsolute() ? Path.of(state)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".local", "state");
        return base.resolve("sluice").resolve(FILE_NAME);
    }

    public Path file() {
        return file;
    }

    /** The entries read, and how many lines were not entries (a line cut short by a crash, say) and were passed over. */
    public record Loaded(List<HistoryEntry> entries, int skipped) {

        public Loaded {
            entries = List.copyOf(entries);
        }
    }

    /** The entries, oldest first; none when there is no file yet. */
    public Loaded load() throws IOException {
        List<HistoryEntry> entries = new ArrayList<>();
        int skipped = 0;
        for (String line : lines()) {
            HistoryEntry e = parse(line);
            if (e == null) {
                skipped++;
            } else {
                entries.add(e);
            }
        }
        return new Loaded(entries, skipped);
    }

    /** Adds {@code entry} last; past {@link #MAX_ENTRIES} the file is rewritten without the oldest. */
    public void append(HistoryEntry entry) throws IOException {
        String line = json(entry);
        Path dir = file.getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, ownerOnly("rwx------"));
        }
        try (FileChannel lockFile = FileChannel.open(dir.resolve(FILE_NAME + ".lock"),
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), ownerOnly("rw-------"));
                FileLock _ = lockFile.lock()) {
            List<String> lines = lines();
            if (lines.size() < MAX_ENTRIES) {
                createIfMissing(file);
                Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                return;
            }
            List<String> kept = new ArrayList<>(lines.subList(lines.size() - (MAX_ENTRIES - 1), lines.size()));
            kept.add(line);
            Path tmp = dir.resolve(FILE_NAME + ".tmp");
            Files.deleteIfExists(tmp);
            createIfMissing(tmp);
            Files.writeString(tmp, String.join("\n", kept) + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The file's lines, at most its last {@link #MAX_FILE_BYTES}; none when there is no file. */
    private List<String> lines() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long length = f.length();
            long from = Math.max(0, length - MAX_FILE_BYTES);
            byte[] b = new byte[(int) (length - from)];
            f.seek(from);
            f.readFully(b);
            String text = new String(b, StandardCharsets.UTF_8);
            if (from > 0) {
                text = text.substring(text.indexOf('\n') + 1); // the first line was cut by the seek
            }
            return text.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    private static void createIfMissing(Path path) throws IOException {
        try {
            Files.createFile(path, ownerOnly("rw-------"));
        } catch (FileAlreadyExistsException e) {
            // kept as it is, with the permissions it has
        }
    }

    private static FileAttribute<?>[] ownerOnly(String permissions) {
        boolean posix = Path.of("").getFileSystem().supportedFileAttributeViews().contains("posix");
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))}
                : new FileAttribute<?>[0];
    }

    static String json(HistoryEntry e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("time", e.time().toString());
        n.put("curl", e.curl());
        if (e.status() != null) {
            n.put("status", e.status());
        }
        if (e.error() != null) {
            n.put("error", e.error());
        }
        n.put("total_ms", BigDecimal.valueOf(e.total().toNanos(), 6));
        if (e.bodyOmitted() > 0) {
            n.put("body_omitted_bytes", e.bodyOmitted());
        }
        return n.toString();
    }

    /** The entry on {@code line}, or null when it is not one. */
    static HistoryEntry parse(String line) {
        try {
            JsonNode n = JSON.readTree(line);
            if (n == null || !n.path("time").isTextual() || !n.path("curl").isTextual() || !n.path("total_ms").isNumber()) {
                return null;
            }
            return new HistoryEntry(Instant.parse(n.get("time").asText()), n.get("curl").asText(),
                    n.path("status").isInt() ? n.get("status").asInt() : null,
                    n.path("error").isTextual() ? n.get("error").asText() : null,
                    Duration.ofNanos(n.get("total_ms").decimalValue().movePointRight(6).longValue()),
                    n.path("body_omitted_bytes").asLong(0));
        } catch (JsonProcessingException | DateTimeParseException | ArithmeticException e) {
            return null; // counted as skipped by load
        }
    }
}
