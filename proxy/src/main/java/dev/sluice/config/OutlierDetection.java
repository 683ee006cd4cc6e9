package dev.sluice.config;

import java.time.Duration;

/**
 * Passive detection: a backend whose requests fail {@code consecutiveFailures} times in a row
 * (5xx answers, refused or failed connections, timeouts) is ejected for {@code baseEjectionTime}
 * × the number of times it was ejected, at most {@code maxEjectionTime}; never more than
 * {@code maxEjectionPercent} of a pool at once, and never its last available backend.
 * {@code consecutiveFailures} 0 turns it off.
 */
public record OutlierDetection(int consecutiveFailures, Duration baseEjectionTime, Duration maxEjectionTime,
        int maxEjectionPercent) {

    public static final OutlierDetection DEFAULTS =
            new OutlierDetection(5, Duration.ofSeconds(30), Duration.ofMinutes(5), 50);
}
