package dev.sluice.metrics;

/**
 * ⑦ One second of traffic, as the dashboard draws it.
 *
 * @param time the end of the second, epoch seconds
 * @param requests records finished in it (requests, and connections closed before a whole request)
 * @param status4xx of those, answered 4xx
 * @param status5xx of those, answered 5xx
 * @param p50Millis median latency of the requests answered in it; {@code NaN} when there were none
 * @param p99Millis 99th percentile of the same
 * @param connections client connections open by state at its end
 */
public record SecondStats(long time, long requests, long status4xx, long status5xx, double p50Millis,
        double p99Millis, ConnectionCounts connections) {}
