package dev.sluice.config;

/**
 * When a request may be sent again to another backend: at most {@code attempts} times per request,
 * and only while retries stay within {@code budgetPercent} of the pool's requests (with
 * {@code minRetries} allowed whatever the share, so a quiet pool can still retry).
 */
public record RetryPolicy(int attempts, int budgetPercent, int minRetries) {

    public static final RetryPolicy DEFAULTS = new RetryPolicy(1, 20, 3);
}
