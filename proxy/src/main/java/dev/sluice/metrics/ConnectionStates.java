package dev.sluice.metrics;

import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * ⑦ Client connections by state: how many are open in each, how many were opened, and how many
 * closed from each. Updated from every event loop, so the counts are {@link LongAdder}s; each
 * connection's own state is a plain field of its {@link ConnectionTracker}, which only its loop
 * touches.
 */
final class ConnectionStates {

    enum State {
        NEW, ACTIVE, IDLE;

        /** The label value: {@code new}, {@code active}, {@code idle}. */
        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final State[] STATES = State.values();

    private final LongAdder opened = new LongAdder();
    private final LongAdder[] open = adders();
    private final LongAdder[] closedFrom = adders();

    ConnectionTracker opened() {
        opened.increment();
        open[State.NEW.ordinal()].increment();
        return new Tracker();
    }

    long openedTotal() {
        return opened.sum();
    }

    /** Open now in {@code state}; never below 0, though a read racing with a move could see one. */
    long open(State state) {
        return Math.max(0, open[state.ordinal()].sum());
    }

    long closedFrom(State state) {
        return closedFrom[state.ordinal()].sum();
    }

    ConnectionCounts now() {
        return new ConnectionCounts(open(State.NEW), open(State.ACTIVE), open(State.IDLE));
    }

    private static LongAdder[] adders() {
        LongAdder[] adders = new LongAdder[STATES.length];
        for (int i = 0; i < adders.length; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }

    private final class Tracker implements ConnectionTracker {
        /** {@code null} once closed. */
        private State state = State.NEW;

        @Override
        public void active() {
            move(State.ACTIVE);
        }

        @Override
        public void idle() {
            move(State.IDLE);
        }

        @Override
        public void closed() {
            if (state != null) {
                open[state.ordinal()].decrement();
                closedFrom[state.ordinal()].increment();
                state = null;
            }
        }

        private void move(State to) {
            if (state != null && state != to) {
                open[state.ordinal()].decrement();
                open[to.ordinal()].increment();
                state = to;
            }
        }
    }
}
