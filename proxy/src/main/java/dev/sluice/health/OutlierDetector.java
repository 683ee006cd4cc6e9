package dev.sluice.health;

import static java.util.Objects.requireNonNull;

import dev.sluice.balance.Backend;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ④ Passive outlier detection for one pool: hears how each request to a backend ended (⑦) and
 * ejects a backend that failed too many times in a row, for longer each time it is ejected again
 * (see {@link EjectionPolicy}). The balancers pass over an ejected backend until its time is up or
 * an active check that passes {@linkplain Backend#unEject() ends it early}. Shared by all event
 * loops: counting is lock-free; only an ejection decision is taken by one thread at a time.
 */
public final class OutlierDetector {

    private static final Logger log = LoggerFactory.getLogger(OutlierDetector.class);

    private final List<Backend> pool;
    private final int consecutiveFailures;
    private final EjectionPolicy policy;
    private final LongSupplier clock;
    /** Fixed at construction, as the pool's backends are for the life of its guard: read-only after. */
    private final Map<Backend, Tracked> tracked = new IdentityHashMap<>();
    /**
     * Held while an ejection is decided: two threads ejecting two backends at once could each see
     * room for one more under the max share. Never waited for; a failure that finds it held is
     * counted, and the next one tries again.
     */
    private final AtomicBoolean deciding = new AtomicBoolean();

    public OutlierDetector(List<Backend> pool, int consecutiveFailures, Duration baseEjectionTime,
            Duration maxEjectionTime, int maxEjectionPercent) {
        this(pool, consecutiveFailures, baseEjectionTime, maxEjectionTime, maxEjectionPercent, System::nanoTime);
    }

    /** Tests pass a fake {@link System#nanoTime()}. */
    OutlierDetector(List<Backend> pool, int consecutiveFailures, Duration baseEjectionTime,
            Duration maxEjectionTime, int maxEjectionPercent, LongSupplier clock) {
        this.pool = List.copyOf(requireNonNull(pool, "pool"));
        if (consecutiveFailures < 0) {
            throw new IllegalArgumentException(
                    "consecutive failures " + consecutiveFailures + " must not be negative (0 turns detection off)");
        }
        this.consecutiveFailures = consecutiveFailures;
        this.policy = new EjectionPolicy(requireNonNull(baseEjectionTime, "baseEjectionTime").toNanos(),
                requireNonNull(maxEjectionTime, "maxEjectionTime").toNanos(), maxEjectionPercent);
        this.clock = requireNonNull(clock, "clock");
        for (Backend backend : this.pool) {
            tracked.put(backend, new Tracked());
        }
    }

    /** A request to {@code backend} got an answer that was not a 5xx. */
    public void success(Backend backend) {
        if (consecutiveFailures != 0) {
            AtomicInteger failures = tracked(backend).failures;
            if (failures.get() != 0) { // a store would fence on every request; most find it at 0
                failures.set(0);
            }
        }
    }

    /** A request to {@code backend} failed: a 5xx, a refused or broken connection, a timeout. */
    public void failure(Backend backend) {
        if (consecutiveFailures == 0) {
            return;
        }
        Tracked t = tracked(backend);
        int failures = t.failures.incrementAndGet();
        if (failures >= consecutiveFailures && deciding.compareAndSet(false, true)) {
            try {
                decide(backend, t, failures);
            } finally {
                deciding.set(false);
            }
        }
    }

    private void decide(Backend backend, Tracked t, int failures) {
        long now = clock.getAsLong();
        if (backend.isDown() || backend.ejected(now)) {
            // Requests that were under way when it went out: they say nothing about its return
            t.failures.set(0);
            return;
        }
        int out = 0;
        for (Backend other : pool) {
            if (other.isDown() || other.ejected(now)) {
                out++;
            }
        }
        if (!policy.mayEject(pool.size(), out)) {
            // Counting on: it is ejected on a later failure once there is room
            return;
        }
        t.ejections = policy.ejectionNumber(t.ejections, t.lastEnd, now);
        long duration = policy.durationNanos(t.ejections);
        t.lastEnd = now + duration;
        backend.ejectUntil(t.lastEnd);
        t.failures.set(0);
        log.warn("outlier_ejected backend={} failures={} for={}", backend, failures, Duration.ofNanos(duration));
    }

    private Tracked tracked(Backend backend) {
        Tracked t = tracked.get(requireNonNull(backend, "backend"));
        if (t == null) {
            throw new IllegalArgumentException("backend " + backend + " is not in this pool");
        }
        return t;
    }

    /** One backend's record. */
    private static final class Tracked {
        final AtomicInteger failures = new AtomicInteger();
        /** Its ejection number and when that ejection was due to end; only touched while deciding. */
        int ejections;
        long lastEnd;
    }
}
