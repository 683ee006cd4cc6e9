package dev.sluice.health;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * ④ How many retries a pool may have under way: at most {@code budgetPercent} of its requests in
 * flight, and always at least {@code minRetries}, so that a struggling pool is not hammered.
 * Lock-free; shared by all event loops.
 */
public final class RetryBudget {

    private final int budgetPercent;
    private final int minRetries;
    private final AtomicInteger underWay = new AtomicInteger();

    public RetryBudget(int budgetPercent, int minRetries) {
        if (budgetPercent < 0 || budgetPercent > 100) {
            throw new IllegalArgumentException("retry budget " + budgetPercent + "% is out of range 0-100");
        }
        if (minRetries < 0) {
            throw new IllegalArgumentException("min retries " + minRetries + " must not be negative");
        }
        this.budgetPercent = budgetPercent;
        this.minRetries = minRetries;
    }

    /** Takes a retry from the budget, given the pool's requests in flight; false when none is left. */
    public boolean tryAcquire(int requestsInFlight) {
        int now;
        do {
            now = underWay.get();
            // now < budgetPercent% of requestsInFlight, in integers so a share of 2.4 allows 3
            if (now >= minRetries && 100L * now >= (long) budgetPercent * requestsInFlight) {
                return false;
            }
        } while (!underWay.compareAndSet(now, now + 1));
        return true;
    }

    /** A retry taken with {@link #tryAcquire} is over. */
    public void release() {
        underWay.decrementAndGet();
    }
}
