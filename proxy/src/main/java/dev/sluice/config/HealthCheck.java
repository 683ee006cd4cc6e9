package dev.sluice.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * An active health check of each backend of a pool: an HTTP request every {@code interval}
 * (± {@code jitterPercent}), answered within {@code timeout} by a status in
 * [{@code expectMin}, {@code expectMax}]. {@code rise} passes in a row bring a backend up,
 * {@code fall} failures in a row take it down.
 *
 * @param host the Host header; {@code null}: the backend's own host:port
 */
public record HealthCheck(String method, String path, String host, int expectMin, int expectMax,
        Duration interval, Duration timeout, int rise, int fall, int jitterPercent) {

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    public static final int DEFAULT_RISE = 2;
    public static final int DEFAULT_FALL = 3;
    public static final int DEFAULT_JITTER_PERCENT = 10;

    public HealthCheck {
        requireNonNull(method, "method");
        requireNonNull(path, "path");
        requireNonNull(interval, "interval");
        requireNonNull(timeout, "timeout");
    }
}
