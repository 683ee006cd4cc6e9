package dev.sluice.balance;

import static java.util.Objects.requireNonNull;

/** ④ A named pool of backends with the balancer that chooses among them. */
public record Pool(String name, Balance balance, LoadBalancer balancer) {
    public Pool {
        requireNonNull(name, "name");
        requireNonNull(balance, "balance");
        requireNonNull(balancer, "balancer");
    }
}
