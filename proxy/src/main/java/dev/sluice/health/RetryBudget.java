package dev.sluice.health;

/**
 * How many retries a pool may have under way: at most {@code budgetPercent} of its requests in
 * flight, and always at least {@code minRetries}, so that a struggling pool is not hammered.
 */
public final class RetryBudget {

    public RetryBudget(int budgetPercent, int minRetries) {}

    /** Takes a retry from the budget, given the pool's requests in flight; false when none is left. */
    public boolean tryAcquire(int requestsInFlight) {
        return true;
    }

    /** A retry taken with {@link #tryAcquire} is over. */
    public void release() {}
}
