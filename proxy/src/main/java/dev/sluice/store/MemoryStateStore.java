package dev.sluice.store;

import dev.sluice.config.DynamicState;
import java.util.List;

/** Keeps the state in memory: it is lost when the process ends. */
final class MemoryStateStore implements StateStore {

    private volatile DynamicState state = DynamicState.EMPTY;

    @Override
    public Recovered load() {
        return new Recovered(state, List.of());
    }

    @Override
    public void save(DynamicState next) {
        state = next;
    }
}
