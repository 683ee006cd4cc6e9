package dev.sluice.config;

import java.time.Duration;

/**
 * How the proxy talks to backends: connect timeout, how long a keep-alive connection may sit idle
 * in a pool, and how many idle connections each event loop keeps per backend.
 */
public record UpstreamSettings(Duration connectTimeout, Duration idleTimeout, int maxIdlePerBackend) {
    public static final UpstreamSettings DEFAULTS =
            new UpstreamSettings(Duration.ofSeconds(5), Duration.ofSeconds(60), 64);
}
