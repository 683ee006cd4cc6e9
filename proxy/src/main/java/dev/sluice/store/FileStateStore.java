package dev.sluice.store;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;
import static java.util.Comparator.comparingLong;
import static java.util.Objects.requireNonNull;

import dev.sluice.config.DynamicState;
import dev.sluice.store.StateReport.Damaged;
import dev.sluice.store.StateReport.Generation;
import dev.sluice.store.StateReport.Good;
import dev.sluice.store.StateReport.Unreadable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * State files in a directory, one generation per save ({@link StateFile}). A save writes a new
 * generation beside the previous one and makes it durable before it returns; the previous one stays
 * until the next save, so at every moment the directory holds a whole newest or previous file,
 * whatever a crash, a power cut or a bad sector did to the other.
 */
final class FileStateStore implements StateStore {

    private static final Logger log = LoggerFactory.getLogger(FileStateStore.class);

    private final Path dir;

    FileStateStore(Path dir) {
        this.dir = dir;
    }

    @Override
    public synchronized Recovered load() throws IOException {
        StateReport report = scan(dir);
        List<String> notes = new ArrayList<>();
        for (Path tmp : report.unfinished()) {
            try {
                Files.deleteIfExists(tmp);
                notes.add("deleted " + tmp.getFileName() + ", a save a crash interrupted (its change was never acknowledged)");
            } catch (IOException e) {
                notes.add("ignored " + tmp.getFileName() + ", a save a crash interrupted; it could not be deleted: "
                        + describe(e));
            }
        }
        if (report.generations().isEmpty()) {
            return new Recovered(DynamicState.EMPTY, notes);
        }
        Good good = report.recovered().orElseThrow(() -> unusable(report));
        for (Generation g : report.generations()) {
            if (g instanceof Damaged skipped && g.version() > good.version()) {
                notes.add(skipped.name() + " is damaged (" + skipped.problem() + "); using " + good.name()
                        + ", the previous good copy");
            }
        }
        return new Recovered(good.state(), notes);
    }

    /**
     * Writes a new generation and makes it durable: 1. the whole file under a name {@link #load}
     * ignores, flushed to the disk; 2. renamed to its own name, atomically, so that it is there whole
     * or not at all; 3. the directory flushed, so that the rename itself survives a power cut. Only
     * then are the generations before the previous one deleted.
     */
    @Override
    public synchronized void save(DynamicState state) throws IOException {
        requireNonNull(state, "state");
        byte[] file = StateFile.encode(state);
        if (file.length > StateFile.MAX_BYTES) {
            throw new IOException("the state is " + file.length + " bytes, more than a state file may hold ("
                    + StateFile.MAX_BYTES + "); use fewer backends or routes through the API, or put them in the config file");
        }
        Path target = dir.resolve(StateFile.name(state.version()));
        Path tmp = dir.resolve(StateFile.unfinishedName(state.version()));
        boolean renamed = false;
        try {
            createDirectory();
            write(tmp, file);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            renamed = true;
            syncDirectory(dir);
        } catch (IOException e) {
            // The change is refused, so it must not come back at the next start either.
            deleteAfterFailure(renamed ? target : tmp, e);
            throw new IOException("cannot save the state in " + dir + ": " + describe(e)
                    + "; check that the directory is writable and the disk is not full", e);
        }
        deleteOtherGenerations(state.version());
    }

    /**
     * Reads every generation and notes unfinished saves; changes nothing.
     *
     * @throws IOException when {@code dir} is not a directory or cannot be listed
     */
    static StateReport scan(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return new StateReport(dir, List.of(), List.of());
        }
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + " is not a directory; state_dir must name a directory"
                    + " (sluice creates it at the first change through the API)");
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.toList();
        } catch (IOException e) {
            throw new IOException("cannot list the state directory: " + describe(e), e);
        }
        List<Generation> generations = files.stream()
                .filter(f -> versionOf(f) >= 0)
                .sorted(comparingLong(FileStateStore::versionOf).reversed())
                .map(f -> read(f, versionOf(f)))
                .toList();
        List<Path> unfinished = files.stream().filter(f -> StateFile.isUnfinished(f.getFileName().toString()))
                .sorted().toList();
        return new StateReport(dir, generations, unfinished);
    }

    /** The version of a generation file, or -1 when {@code file} is not one. */
    private static long versionOf(Path file) {
        return StateFile.version(file.getFileName().toString());
    }

    private static Generation read(Path file, long version) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > StateFile.MAX_BYTES) {
                return new Damaged(file, version, "too large for a state file (" + size + " bytes)");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return new Unreadable(file, version, describe(e));
        }
        try {
            return new Good(file, StateFile.decode(bytes, version));
        } catch (IOException e) {
            return new Damaged(file, version, e.getMessage());
        }
    }

    private IOException unusable(StateReport report) {
        for (Generation g : report.generations()) {
            if (g instanceof Unreadable u) {
                return new IOException(u.name() + " in " + dir + " cannot be read (" + u.problem() + "). It may hold"
                        + " the latest changes made through the admin API, so sluice does not start without it:"
                        + " make it readable (permissions, disk), then start again");
            }
        }
        String files = report.generations().stream()
                .map(g -> g.name() + " (" + ((Damaged) g).problem() + ")")
                .collect(Collectors.joining("; "));
        return new IOException("every state file in " + dir + " is damaged: " + files + ". The changes made through"
                + " the admin API cannot be recovered from them. Restore the directory from a backup (check it"
                + " first with: sluice state verify --config FILE), or move it aside (mv " + dir + " " + dir
                + ".damaged) to start from the config file alone");
    }

    /**
     * Keeps the generation just saved and the newest one before it. Any newer one can only be a
     * damaged file that {@link #load} skipped; it goes too, so that it is not reported at every start.
     * A deletion a crash undoes is harmless: the newest whole file still wins.
     */
    private void deleteOtherGenerations(long saved) {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(f -> versionOf(f) >= 0).toList();
        } catch (IOException e) {
            log.warn("state_cleanup_failed: cannot list {} to delete old state files: {}", dir, describe(e));
            return;
        }
        long previous = files.stream().mapToLong(FileStateStore::versionOf).filter(v -> v < saved).max().orElse(-1);
        for (Path f : files) {
            long version = versionOf(f);
            if (version != saved && version != previous) {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    log.warn("state_cleanup_failed: cannot delete {}: {}", f, describe(e));
                }
            }
        }
    }

    /** Creates the directory and any missing parents, durably: a new directory is an entry in its parent. */
    private void createDirectory() throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path absolute = dir.toAbsolutePath();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        Files.createDirectories(absolute);
        for (Path created = absolute; !created.equals(existing); created = created.getParent()) {
            syncDirectory(created.getParent());
        }
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, CREATE, TRUNCATE_EXISTING, WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, READ)) {
            channel.force(true);
        }
    }

    private static void deleteAfterFailure(Path file, IOException failure) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /** An I/O failure in words: the JDK's messages for these two are a bare path. */
    private static String describe(IOException e) {
        return switch (e) {
            case AccessDeniedException x -> "permission denied: " + x.getFile();
            case NoSuchFileException x -> "no such file or directory: " + x.getFile();
            default -> e.getMessage();
        };
    }
}
