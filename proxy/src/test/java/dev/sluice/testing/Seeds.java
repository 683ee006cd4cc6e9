package dev.sluice.testing;

import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import java.util.stream.LongStream;

/**
 * Seeds for property tests: consecutive seeds from a fixed base, so every run checks the same
 * cases and a failure, which names its seed, replays. {@code -Dsluice.seed=S} moves the base:
 * to a failing seed to run that case first, or anywhere else to explore new cases.
 */
public final class Seeds {

    private static final long DEFAULT_BASE = 1;

    private Seeds() {}

    /** {@code count} seeds from the base, for a {@code @MethodSource}. */
    public static LongStream seeds(int count) {
        long base = Long.getLong("sluice.seed", DEFAULT_BASE);
        return LongStream.range(0, count).map(i -> base + i);
    }

    /** A generator that draws the same numbers for the same seed on every JVM. */
    public static RandomGenerator random(long seed) {
        return RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
    }
}
