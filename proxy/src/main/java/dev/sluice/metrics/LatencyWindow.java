package dev.sluice.metrics;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * ⑦ Request latencies of the current second, for the dashboard's p50 and p99. Recording goes to
 * one of a few {@link Recorder}s chosen by thread, so event loops rarely share one and a record is
 * a few atomic adds on lines no other loop writes; {@link #roll} (the ticker's thread only) takes what each gathered
 * since the last roll and starts them afresh.
 */
final class LatencyWindow {

    /** Latencies above a minute are counted as a minute. */
    static final long HIGHEST_MICROS = 60_000_000;
    private static final int DIGITS = 2; // 1% resolution

    private final Recorder[] stripes;
    private final Histogram[] recycled;
    private final Histogram second = new Histogram(1, HIGHEST_MICROS, DIGITS);

    LatencyWindow(int threads) {
        int n = Integer.highestOneBit(Math.max(2, threads) * 2 - 1); // the power of two at or above
        stripes = new Recorder[n];
        recycled = new Histogram[n];
        for (int i = 0; i < n; i++) {
            stripes[i] = new Recorder(1, HIGHEST_MICROS, DIGITS);
        }
    }

    void record(long micros) {
        int stripe = (int) Thread.currentThread().threadId() & (stripes.length - 1);
        stripes[stripe].recordValue(Math.clamp(micros, 1, HIGHEST_MICROS));
    }

    /** What was recorded since the last roll; valid until the next. */
    Histogram roll() {
        second.reset();
        for (int i = 0; i < stripes.length; i++) {
            recycled[i] = stripes[i].getIntervalHistogram(recycled[i]);
            second.add(recycled[i]);
        }
        return second;
    }
}
