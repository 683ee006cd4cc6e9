package dev.sluice.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * ⑦ The last {@code capacity} seconds of {@link SecondStats}, oldest first, in a ring: the ticker
 * adds one a second, readers copy out what they ask for. Each call holds the lock for a copy of a
 * few hundred references at most.
 */
final class StatsHistory {

    private final SecondStats[] ring;
    private int next;
    private int size;

    StatsHistory(int capacity) {
        ring = new SecondStats[capacity];
    }

    synchronized void add(SecondStats second) {
        ring[next] = second;
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
    }

    /** The seconds that ended after {@code since} (epoch seconds), oldest first. */
    synchronized List<SecondStats> since(long since) {
        List<SecondStats> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            SecondStats s = ring[(next - size + i + ring.length) % ring.length];
            if (s.time() > since) {
                out.add(s);
            }
        }
        return out;
    }

    /** The newest second's end, or 0 before the first. */
    synchronized long newest() {
        return size == 0 ? 0 : ring[(next - 1 + ring.length) % ring.length].time();
    }
}
