package dev.sluice.store;

import static java.util.Objects.requireNonNull;

import dev.sluice.config.DynamicState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where acknowledged changes are kept. {@link #save} returns only once the state would survive a
 * crash or power loss; {@link #load} returns the newest state that was saved whole.
 */
public interface StateStore {

    /** What {@link #load} found: the state, and notes for the start-up log (recoveries, skipped files). */
    record Recovered(DynamicState state, List<String> notes) {
        public Recovered {
            notes = List.copyOf(notes);
        }
    }

    /** The newest good state; {@link DynamicState#EMPTY} when nothing was ever saved. */
    Recovered load() throws IOException;

    /** Keeps {@code state} durably before returning. */
    void save(DynamicState state) throws IOException;

    /** State files in {@code dir} (created on the first save). */
    static StateStore inDirectory(Path dir) {
        return new FileStateStore(requireNonNull(dir, "dir"));
    }

    /**
     * Reads every state file in {@code dir} — header, length, checksum, content — and changes
     * nothing: what {@code sluice state verify} reports, and what a start recovers from.
     *
     * @throws IOException when {@code dir} is not a directory or cannot be listed
     */
    static StateReport verify(Path dir) throws IOException {
        return FileStateStore.scan(requireNonNull(dir, "dir"));
    }

    /** State kept in memory only: for configs without a {@code state_dir}. */
    static StateStore inMemory() {
        return new MemoryStateStore();
    }
}
