package dev.sluice.metrics;

/** ⑦ Open client connections by state at one moment: {@code new}, {@code active}, {@code idle}. */
public record ConnectionCounts(long fresh, long active, long idle) {

    public long open() {
        return fresh + active + idle;
    }
}
