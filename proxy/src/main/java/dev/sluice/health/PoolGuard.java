package dev.sluice.health;

import static java.util.Objects.requireNonNull;

import dev.sluice.balance.Backend;
import dev.sluice.config.HealthCheck;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * ④ What keeps a pool's failing backends from hurting its clients, as the relay uses it: timeouts
 * for each wait, retries within a budget, outlier detection, and circuit-breaking limits. One per
 * pool per route table; shared by all event loops.
 */
public final class PoolGuard {

    private final HealthCheck healthCheck;
    private final Duration connectTimeout;
    private final long responseTimeoutNanos;
    private final long idleTimeoutNanos;
    private final long totalTimeoutNanos;
    private final int retryAttempts;
    private final RetryBudget retryBudget;
    private final OutlierDetector outliers;
    private final int maxConnections;
    private final int maxRequests;
    private final AtomicInteger inFlight = new AtomicInteger();

    private PoolGuard(Builder b) {
        this.healthCheck = b.healthCheck;
        this.connectTimeout = b.connectTimeout;
        this.responseTimeoutNanos = b.responseTimeout.toNanos();
        this.idleTimeoutNanos = b.idleTimeout.toNanos();
        this.totalTimeoutNanos = b.totalTimeout.toNanos();
        this.retryAttempts = b.retryAttempts;
        this.retryBudget = new RetryBudget(b.retryBudgetPercent, b.minRetries);
        this.outliers = new OutlierDetector(b.backends, b.consecutiveFailures, b.baseEjectionTime, b.maxEjectionTime,
                b.maxEjectionPercent);
        this.maxConnections = b.maxConnections;
        this.maxRequests = b.maxRequests;
    }

    /** A guard for a pool of {@code backends}, with defaults for everything not set. */
    public static Builder builder(List<Backend> backends) {
        return new Builder(backends);
    }

    /** The pool's active health check, or {@code null} when it has none. */
    public HealthCheck healthCheck() {
        return healthCheck;
    }

    /** The connect timeout for this pool, or {@code null} for the server's. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** From the last request byte to the response head; 0: no limit. */
    public long responseTimeoutNanos() {
        return responseTimeoutNanos;
    }

    /** Between two reads of the response body; 0: no limit. */
    public long idleTimeoutNanos() {
        return idleTimeoutNanos;
    }

    /** The whole exchange; 0: no limit. */
    public long totalTimeoutNanos() {
        return totalTimeoutNanos;
    }

    public int retryAttempts() {
        return retryAttempts;
    }

    public RetryBudget retryBudget() {
        return retryBudget;
    }

    public OutlierDetector outliers() {
        return outliers;
    }

    /** Whether {@code backend} may have one more connection opened to it. */
    public boolean mayConnect(Backend backend) {
        return maxConnections == 0 || backend.connections() < maxConnections;
    }

    /** Admits a request to the pool, or refuses it when {@code max_requests} are in flight. */
    public boolean tryAdmit() {
        if (maxRequests == 0) {
            inFlight.incrementAndGet();
            return true;
        }
        int now;
        do {
            now = inFlight.get();
            if (now >= maxRequests) {
                return false;
            }
        } while (!inFlight.compareAndSet(now, now + 1));
        return true;
    }

    /** A request admitted with {@link #tryAdmit} is over. */
    public void release() {
        inFlight.decrementAndGet();
    }

    /** Requests in flight on this pool. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Settings for a {@link PoolGuard}; each has the documented default. */
    public static final class Builder {
        private final List<Backend> backends;
        private HealthCheck healthCheck;
        private Duration connectTimeout;
        private Duration responseTimeout = Duration.ofSeconds(60);
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration totalTimeout = Duration.ZERO;
        private int retryAttempts = 1;
        private int retryBudgetPercent = 20;
        private int minRetries = 3;
        private int consecutiveFailures = 5;
        private Duration baseEjectionTime = Duration.ofSeconds(30);
        private Duration maxEjectionTime = Duration.ofMinutes(5);
        private int maxEjectionPercent = 50;
        private int maxConnections;
        private int maxRequests = 10_000;

        private Builder(List<Backend> backends) {
            this.backends = List.copyOf(requireNonNull(backends, "backends"));
        }

        /** {@code null}: no active health check. */
        public Builder healthCheck(HealthCheck check) {
            this.healthCheck = check;
            return this;
        }

        /** {@code null}: the server's connect timeout. */
        public Builder timeouts(Duration connect, Duration response, Duration idle, Duration total) {
            this.connectTimeout = connect;
            this.responseTimeout = requireNonNull(response, "response");
            this.idleTimeout = requireNonNull(idle, "idle");
            this.totalTimeout = requireNonNull(total, "total");
            return this;
        }

        public Builder retries(int attempts, int budgetPercent, int minRetries) {
            this.retryAttempts = attempts;
            this.retryBudgetPercent = budgetPercent;
            this.minRetries = minRetries;
            return this;
        }

        public Builder outliers(int consecutiveFailures, Duration baseEjectionTime, Duration maxEjectionTime,
                int maxEjectionPercent) {
            this.consecutiveFailures = consecutiveFailures;
            this.baseEjectionTime = requireNonNull(baseEjectionTime, "baseEjectionTime");
            this.maxEjectionTime = requireNonNull(maxEjectionTime, "maxEjectionTime");
            this.maxEjectionPercent = maxEjectionPercent;
            return this;
        }

        public Builder limits(int maxConnections, int maxRequests) {
            this.maxConnections = maxConnections;
            this.maxRequests = maxRequests;
            return this;
        }

        public PoolGuard build() {
            return new PoolGuard(this);
        }
    }
}
