package dev.sluice.config;

/**
 * Circuit breaking: at most {@code maxConnections} open connections per backend and
 * {@code maxRequests} requests in flight per pool; more get a fast 503 instead of a queue.
 * 0 means no limit.
 */
public record CircuitLimits(int maxConnections, int maxRequests) {

    public static final CircuitLimits DEFAULTS = new CircuitLimits(0, 10_000);
}
