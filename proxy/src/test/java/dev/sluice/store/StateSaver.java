package dev.sluice.store;

import dev.sluice.config.DynamicState;
import dev.sluice.testing.Seeds;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A process that saves states into the directory {@code args[0]} one after another, from the one
 * after the state it finds, and prints {@code saved N} once each save returned — its acknowledgement —
 * until it is killed.
 */
final class StateSaver {

    private StateSaver() {}

    static void main(String[] args) throws IOException {
        StateStore store = StateStore.inDirectory(Path.of(args[0]));
        for (long version = store.load().state().version() + 1; ; version++) {
            store.save(state(version));
            System.out.println("saved " + version);
        }
    }

    /** The state a saver saves as {@code version}: any process can tell what it should hold. */
    static DynamicState state(long version) {
        DynamicState random = RandomState.generate(Seeds.random(version));
        return new DynamicState(version, random.pools(), random.routes());
    }
}
