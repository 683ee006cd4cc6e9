package dev.sluice.config;

import static java.util.Objects.requireNonNull;

import dev.sluice.balance.Balance;
import java.util.List;
import java.util.Locale;

/**
 * A pool of interchangeable backends, how to balance between them, and how it copes with failing
 * ones ({@code policy}). {@code hashEpsilon} is the bounded-load slack of consistent hashing: no
 * backend takes more than (1+ε) × the average load.
 */
public record PoolConfig(String name, Balance balance, double hashEpsilon, List<BackendConfig> backends,
        PoolPolicy policy) {

    public static final double DEFAULT_HASH_EPSILON = 0.25;

    public PoolConfig {
        requireNonNull(name, "name");
        requireNonNull(balance, "balance");
        requireNonNull(policy, "policy");
        backends = List.copyOf(backends);
    }

    /** A pool with the default policy: no active check, default outlier detection, timeouts, retries, limits. */
    public PoolConfig(String name, Balance balance, double hashEpsilon, List<BackendConfig> backends) {
        this(name, balance, hashEpsilon, backends, PoolPolicy.DEFAULTS);
    }

    /** This pool with other backends (a change through the API). */
    public PoolConfig withBackends(List<BackendConfig> next) {
        return new PoolConfig(name, balance, hashEpsilon, next, policy);
    }

    /** The one spelling of a pool name, wherever it comes from: names ignore case, like host names. */
    public static String canonicalName(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
