package dev.sluice.config;

import static java.util.Objects.requireNonNull;

import dev.sluice.balance.Balance;
import java.util.List;
import java.util.Locale;

/**
 * A pool of interchangeable backends and how to balance between them. {@code hashEpsilon} is the
 * bounded-load slack of consistent hashing: no backend takes more than (1+ε) × the average load.
 */
public record PoolConfig(String name, Balance balance, double hashEpsilon, List<BackendConfig> backends) {

    public static final double DEFAULT_HASH_EPSILON = 0.25;

    public PoolConfig {
        requireNonNull(name, "name");
        requireNonNull(balance, "balance");
        backends = List.copyOf(backends);
    }

    /** The one spelling of a pool name, wherever it comes from: names ignore case, like host names. */
    public static String canonicalName(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
