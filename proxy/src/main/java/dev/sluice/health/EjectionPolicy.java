package dev.sluice.health;

/**
 * The arithmetic of outlier ejection, apart from the detector that keeps the state and reads the
 * clock: whether one more backend may go out of a pool, for how long, and how many ejections a
 * backend is remembered for.
 *
 * @param baseNanos the first ejection's length; each later one is that many more
 * @param maxNanos the longest ejection
 * @param maxPercent the largest share of a pool's backends out at once, down or ejected
 */
record EjectionPolicy(long baseNanos, long maxNanos, int maxPercent) {

    /**
     * How long a backend must have been back before its past ejections are forgotten: long enough
     * that a backend failing every few minutes keeps its backoff, short enough that one bad hour
     * does not count against it all week.
     */
    static final int FORGET_AFTER_BASES = 10;

    EjectionPolicy {
        if (baseNanos <= 0 || maxNanos <= 0) {
            throw new IllegalArgumentException("ejection times must be positive");
        }
        if (maxPercent < 0 || maxPercent > 100) {
            throw new IllegalArgumentException("max ejection percent " + maxPercent + " is out of range 0-100");
        }
    }

    /**
     * Whether an available backend of a pool of {@code poolSize} may be ejected while {@code out}
     * others are down or ejected: never past {@link #maxPercent} of the pool, and never the last
     * available backend, since a pool with none answers every request 503.
     */
    boolean mayEject(int poolSize, int out) {
        int after = out + 1;
        return after < poolSize && 100L * after <= (long) maxPercent * poolSize;
    }

    /**
     * The number of this ejection, 1 for the first: one more than {@code previous}, or 1 again when
     * the backend has been back for {@link #FORGET_AFTER_BASES} base ejection times since its last
     * ejection was due to end at {@code lastEnd} (an early return by an active check is not seen).
     */
    int ejectionNumber(int previous, long lastEnd, long now) {
        boolean forgotten = previous == 0 || now - lastEnd >= FORGET_AFTER_BASES * baseNanos;
        // Past the max the count no longer matters: capped so that it cannot overflow
        return forgotten ? 1 : (int) Math.min(previous + 1L, maxNanos / baseNanos + 1);
    }

    /** How long ejection number {@code n} lasts: {@code n} base times, at most the max. */
    long durationNanos(int n) {
        return n > maxNanos / baseNanos ? maxNanos : baseNanos * n;
    }
}
