package dev.sluice.balance;

import java.util.List;

/**
 * ④ Picks the backend for one request from a pool's immutable list of backends. Implementations
 * are thread-safe and lock-free: every event loop picks from the same instance.
 */
public interface LoadBalancer {

    /**
     * The backend for a request to the canonical host {@code hostKey} (used by hashing; may be
     * empty), or {@code null} when no backend of the pool is {@linkplain Backend#available() available}.
     */
    Backend pick(String hostKey);

    /** The backends this balancer picks from, in config order. */
    List<Backend> backends();

    static LoadBalancer roundRobin(List<Backend> backends) {
        return new SmoothWeightedRoundRobin(backends);
    }

    static LoadBalancer leastRequest(List<Backend> backends) {
        return new LeastRequestBalancer(backends);
    }

    static LoadBalancer consistentHash(List<Backend> backends, double epsilon) {
        return new BoundedLoadConsistentHash(backends, epsilon);
    }

    static LoadBalancer of(Balance balance, List<Backend> backends, double epsilon) {
        return switch (balance) {
            case ROUND_ROBIN -> roundRobin(backends);
            case LEAST_REQUEST -> leastRequest(backends);
            case CONSISTENT_HASH -> consistentHash(backends, epsilon);
        };
    }
}
