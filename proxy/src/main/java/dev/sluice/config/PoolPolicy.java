package dev.sluice.config;

import static java.util.Objects.requireNonNull;

/**
 * How a pool copes with failing backends: its active health check ({@code null}: none), passive
 * outlier detection, timeouts, retries and circuit-breaking limits.
 */
public record PoolPolicy(HealthCheck healthCheck, OutlierDetection outliers, PoolTimeouts timeouts,
        RetryPolicy retries, CircuitLimits limits) {

    public static final PoolPolicy DEFAULTS = new PoolPolicy(null, OutlierDetection.DEFAULTS, PoolTimeouts.DEFAULTS,
            RetryPolicy.DEFAULTS, CircuitLimits.DEFAULTS);

    public PoolPolicy {
        requireNonNull(outliers, "outliers");
        requireNonNull(timeouts, "timeouts");
        requireNonNull(retries, "retries");
        requireNonNull(limits, "limits");
    }
}
