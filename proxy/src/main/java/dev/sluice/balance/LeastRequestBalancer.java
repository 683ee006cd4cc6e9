package dev.sluice.balance;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * ④ Least request by the power of two choices (Mitzenmacher): of two distinct random backends,
 * the one with fewer requests in flight per unit of weight. Nearly as even as scanning for the
 * least loaded, without the scan, and without every event loop piling onto the same backend
 * between two updates of its counter.
 */
final class LeastRequestBalancer implements LoadBalancer {

    private final List<Backend> backends;
    private final Supplier<? extends RandomGenerator> random;

    LeastRequestBalancer(List<Backend> backends) {
        this(backends, ThreadLocalRandom::current);
    }

    /** Tests pass a seeded generator, so that a failing run replays. */
    LeastRequestBalancer(List<Backend> backends, Supplier<? extends RandomGenerator> random) {
        this.backends = List.copyOf(backends);
        this.random = random;
    }

    @Override
    public Backend pick(String hostKey) {
        int n = backends.size();
        if (n < 2) {
            return n == 0 ? null : backends.get(0);
        }
        RandomGenerator r = random.get();
        int i = r.nextInt(n);
        int j = r.nextInt(n - 1);
        Backend a = backends.get(i);
        Backend b = backends.get(j < i ? j : j + 1);
        // inFlight/weight compared cross-multiplied, in integers
        long loadA = (long) a.inFlight() * b.weight();
        long loadB = (long) b.inFlight() * a.weight();
        if (loadA != loadB) {
            return loadA < loadB ? a : b;
        }
        // A tie, as at idle when nothing is in flight, goes by weight: else weights would count
        // only under load.
        return r.nextInt(a.weight() + b.weight()) < a.weight() ? a : b;
    }

    @Override
    public List<Backend> backends() {
        return backends;
    }
}
