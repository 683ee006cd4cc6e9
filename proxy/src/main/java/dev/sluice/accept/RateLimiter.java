package dev.sluice.accept;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * ② The request rate each client address may have ({@code limits.rate_per_ip}): a token bucket per
 * address, checked as each request head is decoded, before routing; a refused request gets 429.
 *
 * <p>Each bucket is one {@link AtomicLong}, the time its bucket will be full again (the "theoretical
 * arrival time" of GCRA): a request adds one interval ({@code 1/rate}) to it and is refused when that
 * would put it more than {@code burst} intervals ahead of now. So a check is one CAS, no lock, and
 * allocates only for an address not seen lately.
 *
 * <p>A bucket whose time has passed is full and carries no state: it may be dropped. Buckets are
 * bounded: when there are {@code maxBuckets}, full ones are swept out (at most once per
 * {@link #SWEEP_INTERVAL_NANOS}); while none is full, a new address is refused, as nginx does when
 * its {@code limit_req} zone is full.
 */
public final class RateLimiter {

    /** How many client addresses are tracked at most by default. */
    public static final int DEFAULT_MAX_BUCKETS = 100_000;
    /** A full table is swept no more often than this: a sweep visits every bucket. */
    static final long SWEEP_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** What a swept bucket holds while it leaves the map; clock readings are never negative. */
    private static final long DEAD = -1;

    private static final RateLimiter OFF = new RateLimiter(0, 0, DEFAULT_MAX_BUCKETS, System::nanoTime);

    private final long interval;
    private final long capacity;
    private final int maxBuckets;
    private final LongSupplier clock;
    private final long origin;
    private final ConcurrentHashMap<InetAddress, AtomicLong> buckets;
    private final AtomicLong nextSweep = new AtomicLong();

    /**
     * @param rate requests a second per address; 0: no limit
     * @param burst requests an address may send at once; 0: {@code rate}
     * @param maxBuckets how many addresses are tracked at most
     * @param clock nanoseconds, as {@link System#nanoTime}
     */
    public RateLimiter(int rate, int burst, int maxBuckets, LongSupplier clock) {
        if (rate < 0 || burst < 0 || maxBuckets < 1) {
            throw new IllegalArgumentException("rate " + rate + ", burst " + burst + ", maxBuckets " + maxBuckets);
        }
        this.clock = requireNonNull(clock, "clock");
        this.interval = rate == 0 ? 0 : Math.max(1, TimeUnit.SECONDS.toNanos(1) / rate);
        this.capacity = interval * (burst == 0 ? rate : burst);
        this.maxBuckets = maxBuckets;
        this.origin = clock.getAsLong();
        this.buckets = rate == 0 ? null : new ConcurrentHashMap<>();
    }

    /** A limiter for {@code rate} requests a second per address with bursts of {@code burst}. */
    public static RateLimiter of(int rate, int burst) {
        return rate == 0 ? OFF : new RateLimiter(rate, burst, DEFAULT_MAX_BUCKETS, System::nanoTime);
    }

    /** Takes a token for a request from {@code ip}; false when its bucket is empty. */
    public boolean tryAcquire(InetAddress ip) {
        if (buckets == null) {
            return true;
        }
        long now = now();
        while (true) {
            AtomicLong bucket = buckets.get(ip);
            if (bucket == null) {
                if (buckets.size() >= maxBuckets && !sweep(now)) {
                    return false;
                }
                if (buckets.putIfAbsent(ip, new AtomicLong(now + interval)) == null) {
                    return true;
                }
                continue; // another loop created it first
            }
            long full = bucket.get();
            if (full == DEAD) {
                buckets.remove(ip, bucket);
                continue;
            }
            long next = Math.max(full, now) + interval;
            if (next - now > capacity) {
                return false;
            }
            if (bucket.compareAndSet(full, next)) {
                return true;
            }
        }
    }

    /** Whole seconds until {@code ip} may send a request again; at least 1 (for a Retry-After header). */
    public long retryAfterSeconds(InetAddress ip) {
        AtomicLong bucket = buckets == null ? null : buckets.get(ip);
        long full = bucket == null ? DEAD : bucket.get();
        if (full == DEAD) {
            return 1; // refused for want of room: the table may have room in a moment
        }
        long wait = full + interval - capacity - now();
        return Math.max(1, (wait + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1));
    }

    /** Addresses tracked now. */
    public int buckets() {
        return buckets == null ? 0 : buckets.size();
    }

    /** Drops full buckets, unless another sweep ran lately; returns whether there is room now. */
    private boolean sweep(long now) {
        long due = nextSweep.get();
        if (now - due < 0 || !nextSweep.compareAndSet(due, now + SWEEP_INTERVAL_NANOS)) {
            return buckets.size() < maxBuckets;
        }
        for (var e : buckets.entrySet()) {
            AtomicLong bucket = e.getValue();
            long full = bucket.get();
            // Marked first, so a request racing with the sweep retries on a fresh bucket, not a dropped one.
            if (full != DEAD && full <= now && bucket.compareAndSet(full, DEAD)) {
                buckets.remove(e.getKey(), bucket);
            }
        }
        return buckets.size() < maxBuckets;
    }

    private long now() {
        return clock.getAsLong() - origin;
    }
}
