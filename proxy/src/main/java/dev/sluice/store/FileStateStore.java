package dev.sluice.store;

import dev.sluice.control.DynamicState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Durable state files in a directory. */
final class FileStateStore implements StateStore {

    private final Path dir;

    FileStateStore(Path dir) {
        this.dir = dir;
    }

    @Override
    public Recovered load() throws IOException {
        return new Recovered(DynamicState.EMPTY, List.of("no state files in " + dir));
    }

    @Override
    public void save(DynamicState state) throws IOException {
        throw new IOException("not yet");
    }
}
