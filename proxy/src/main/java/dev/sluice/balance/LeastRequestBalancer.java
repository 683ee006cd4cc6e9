package dev.sluice.balance;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * ④ Least request by the power of two choices (Mitzenmacher): of two distinct random backends,
 * the one with fewer requests in flight per unit of weight. Nearly as even as scanning for the
 * least loaded, without the scan, and without every event loop piling onto the same backend
 * between two updates of its counter. Both choices are drawn among the backends that are
 * {@linkplain Backend#available() available}.
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
            return n == 0 || !backends.get(0).available() ? null : backends.get(0);
        }
        RandomGenerator r = random.get();
        int i = r.nextInt(n);
        Backend a = backends.get(i);
        Backend b = backends.get(other(r, n, i));
        if (a.available() && b.available()) {
            return lessLoaded(a, b, r);
        }
        return amongAvailable(r);
    }

    /**
     * The two choices drawn again among the available backends only: counted, then found by rank,
     * in two passes with no list built. A backend that goes out between the passes leaves its
     * rank unfilled; the last available one found stands in for it.
     */
    private Backend amongAvailable(RandomGenerator r) {
        int available = 0;
        for (Backend backend : backends) {
            if (backend.available()) {
                available++;
            }
        }
        if (available == 0) {
            return null;
        }
        int i = r.nextInt(available);
        int j = available < 2 ? i : other(r, available, i);
        Backend a = null;
        Backend b = null;
        Backend last = null;
        int rank = 0;
        for (Backend backend : backends) {
            if (backend.available()) {
                a = rank == i ? backend : a;
                b = rank == j ? backend : b;
                last = backend;
                rank++;
            }
        }
        a = a == null ? last : a;
        b = b == null ? last : b;
        return a == null || a == b ? a : lessLoaded(a, b, r);
    }

    /** A random index below {@code n} (at least 2) other than {@code i}. */
    private static int other(RandomGenerator r, int n, int i) {
        int j = r.nextInt(n - 1);
        return j < i ? j : j + 1;
    }

    private static Backend lessLoaded(Backend a, Backend b, RandomGenerator r) {
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
