package dev.sluice.balance;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * ④ nginx's smooth weighted round robin: weights 5, 1, 1 give {@code a a b a c a a}, each
 * backend's turns spread over the cycle instead of bunched. The cycle depends only on the
 * weights, so it is computed once, and a pick is one shared counter indexing into it:
 * lock-free, and exact — any run of picks as long as the cycle holds each backend weight times.
 * A turn of a backend that is not {@linkplain Backend#available() available} is passed on to the
 * next turn of the cycle, so the others keep their proportions among themselves.
 */
final class SmoothWeightedRoundRobin implements LoadBalancer {

    private final List<Backend> backends;
    /** Indexes into {@link #backends}, one cycle long: the sum of the weights. */
    private final int[] cycle;
    private final AtomicLong picks = new AtomicLong();

    SmoothWeightedRoundRobin(List<Backend> backends) {
        this.backends = List.copyOf(backends);
        this.cycle = smoothCycle(this.backends);
    }

    @Override
    public Backend pick(String hostKey) {
        // Each skipped turn is taken from the shared counter, not stepped over locally: else the
        // backend after an unavailable one would get its turns too. One pass at most.
        for (int turn = 0; turn < cycle.length; turn++) {
            Backend backend = backends.get(cycle[Math.floorMod(picks.getAndIncrement(), cycle.length)]);
            if (backend.available()) {
                return backend;
            }
        }
        return null;
    }

    @Override
    public List<Backend> backends() {
        return backends;
    }

    /**
     * nginx's {@code ngx_http_upstream_get_peer}: every turn each backend's current weight grows
     * by its weight, the largest (the first on a tie) is picked and pays back the total.
     */
    private static int[] smoothCycle(List<Backend> backends) {
        int total = backends.stream().mapToInt(Backend::weight).sum();
        int[] cycle = new int[total];
        int[] current = new int[backends.size()];
        for (int turn = 0; turn < total; turn++) {
            int best = 0;
            for (int i = 0; i < current.length; i++) {
                current[i] += backends.get(i).weight();
                if (current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= total;
            cycle[turn] = best;
        }
        return cycle;
    }
}
