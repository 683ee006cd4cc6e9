package dev.sluice.health;

import static java.util.Objects.requireNonNull;

import dev.sluice.balance.Backend;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Passive outlier detection for one pool: hears how each request to a backend ended and ejects a
 * backend that failed too many times in a row.
 */
public final class OutlierDetector {

    private final List<Backend> pool;

    public OutlierDetector(List<Backend> pool, int consecutiveFailures, Duration baseEjectionTime,
            Duration maxEjectionTime, int maxEjectionPercent) {
        this(pool, consecutiveFailures, baseEjectionTime, maxEjectionTime, maxEjectionPercent, System::nanoTime);
    }

    OutlierDetector(List<Backend> pool, int consecutiveFailures, Duration baseEjectionTime,
            Duration maxEjectionTime, int maxEjectionPercent, LongSupplier clock) {
        this.pool = List.copyOf(requireNonNull(pool, "pool"));
    }

    /** A request to {@code backend} got an answer that was not a 5xx. */
    public void success(Backend backend) {}

    /** A request to {@code backend} failed: a 5xx, a refused or broken connection, a timeout. */
    public void failure(Backend backend) {}
}
