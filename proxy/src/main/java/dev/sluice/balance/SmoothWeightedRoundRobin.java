package dev.sluice.balance;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * ④ nginx's smooth weighted round robin: weights 5, 1, 1 give {@code a a b a c a a}, each
 * backend's turns spread over the cycle instead of bunched. The cycle depends only on the
 * weights, so it is computed once, and a pick is one shared counter indexing into it:
 * lock-free, and exact — any run of picks as long as the cycle holds each backend weight times.
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
        if (cycle.length == 0) {
            return null;
        }
        return backends.get(cycle[Math.floorMod(picks.getAndIncrement(), cycle.length)]);
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
