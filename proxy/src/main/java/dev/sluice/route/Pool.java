package dev.sluice.route;

import static java.util.Objects.requireNonNull;

import dev.sluice.balance.Balance;
import dev.sluice.balance.LoadBalancer;
import dev.sluice.health.PoolGuard;

/**
 * ③ A named pool of backends as routes reach it: the balancer that chooses among them and the
 * guard that keeps failing ones out (outlier detection, retries, timeouts, limits).
 */
public record Pool(String name, Balance balance, LoadBalancer balancer, PoolGuard guard) {
    public Pool {
        requireNonNull(name, "name");
        requireNonNull(balance, "balance");
        requireNonNull(balancer, "balancer");
        requireNonNull(guard, "guard");
    }

    /** A pool with a guard of default settings. */
    public Pool(String name, Balance balance, LoadBalancer balancer) {
        this(name, balance, balancer, PoolGuard.builder(balancer.backends()).build());
    }
}
