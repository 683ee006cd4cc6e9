package dev.sluice.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.sluice.balance.Backend;
import dev.sluice.balance.Endpoint;
import dev.sluice.testing.Seeds;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OutlierDetectorTest {

    private static final Duration BASE = Duration.ofSeconds(30);
    private static final Duration MAX = Duration.ofMinutes(5);

    /** A fake {@link System#nanoTime()}, started far from 0 so that no sign or wrap is assumed. */
    private long now = 1L << 62;

    /** The detector's log lines, kept here instead of thousands on the console. */
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    private final Logger log = (Logger) LoggerFactory.getLogger(OutlierDetector.class);

    static LongStream seeds() {
        return Seeds.seeds(60);
    }

    @BeforeEach
    void captureLog() {
        logged.start();
        log.addAppender(logged);
        log.setAdditive(false);
    }

    @AfterEach
    void releaseLog() {
        log.setAdditive(true);
        log.detachAppender(logged);
    }

    @Test
    void ejectsAfterTheConsecutiveFailuresAndASuccessStartsTheCountAgain() {
        List<Backend> pool = pool(4);
        Backend b = pool.get(0);
        OutlierDetector detector = detector(pool, 3, 50);

        detector.failure(b);
        detector.failure(b);
        detector.success(b);
        detector.failure(b);
        detector.failure(b);
        assertThat(b.ejected(now)).isFalse();

        detector.failure(b);
        assertThat(b.ejected(now)).isTrue();
        assertThat(ejectionNanos(b)).isEqualTo(BASE.toNanos());
        assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("outlier_ejected backend=b0.test:80 failures=3 for=PT30S");
    }

    @Test
    void zeroConsecutiveFailuresTurnsDetectionOff() {
        List<Backend> pool = pool(2);
        OutlierDetector detector = detector(pool, 0, 100);

        IntStream.range(0, 1_000).forEach(i -> detector.failure(pool.get(0)));

        assertThat(pool.get(0).ejected(now)).isFalse();
    }

    @Test
    void repeatedEjectionsLastLongerUpToTheMaxAndAreForgottenAfterTenBaseTimes() {
        List<Backend> pool = pool(2);
        Backend b = pool.get(0);
        OutlierDetector detector = detector(pool, 1, 50);

        List<Long> durations = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            detector.failure(b);
            long duration = ejectionNanos(b);
            durations.add(duration / BASE.toNanos());
            now += duration;
            assertThat(b.ejected(now)).as("after ejection %d, back at its end", i + 1).isFalse();
        }
        assertThat(durations).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 10L, 10L);

        now += EjectionPolicy.FORGET_AFTER_BASES * BASE.toNanos() - 1;
        detector.failure(b);
        assertThat(ejectionNanos(b)).as("just short of the time to forget").isEqualTo(MAX.toNanos());

        now += ejectionNanos(b) + EjectionPolicy.FORGET_AFTER_BASES * BASE.toNanos();
        detector.failure(b);
        assertThat(ejectionNanos(b)).as("forgotten").isEqualTo(BASE.toNanos());
    }

    @Test
    void anActiveCheckEndsAnEjectionEarly() {
        List<Backend> pool = pool(2);
        Backend b = pool.get(0);
        OutlierDetector detector = detector(pool, 1, 50);
        detector.failure(b);

        b.unEject();

        assertThat(b.ejected(now)).isFalse();
    }

    @Test
    void failuresOfRequestsUnderWayWhenItWentOutAreNotCountedAgainstItsReturn() {
        List<Backend> pool = pool(2);
        Backend b = pool.get(0);
        OutlierDetector detector = detector(pool, 2, 50);
        detector.failure(b);
        detector.failure(b);
        detector.failure(b);
        detector.failure(b);

        now += ejectionNanos(b);
        detector.failure(b);

        assertThat(b.ejected(now)).isFalse();
    }

    @Test
    void theLastAvailableBackendIsNeverEjectedEvenAtOneHundredPercent() {
        List<Backend> pool = pool(3);
        pool.get(0).markDown(true);
        OutlierDetector detector = detector(pool, 1, 100);

        detector.failure(pool.get(1));
        detector.failure(pool.get(2));

        assertThat(pool.get(1).ejected(now)).isTrue();
        assertThat(pool.get(2).ejected(now)).isFalse();
    }

    @Test
    void aBackendNotInThePoolIsAMistake() {
        OutlierDetector detector = detector(pool(2), 1, 50);

        assertThatThrownBy(() -> detector.failure(pool(1).get(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not in this pool");
    }

    /**
     * Random pools, settings, outcomes, active-check verdicts and clock steps: every ejection
     * leaves the pool within its max share and with a backend available, lasts its backoff, and
     * ends when its time is up.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void ejectionsKeepWithinTheirLimitsGrowAndEnd(long seed) {
        RandomGenerator random = Seeds.random(seed);
        int size = random.nextInt(1, 13);
        List<Backend> pool = pool(size);
        int threshold = random.nextInt(1, 6);
        long base = Duration.ofSeconds(random.nextInt(1, 61)).toNanos();
        long max = base * random.nextInt(1, 11) + random.nextLong(base);
        int maxPercent = random.nextInt(0, 101);
        now = random.nextLong();
        OutlierDetector detector = new OutlierDetector(pool, threshold, Duration.ofNanos(base), Duration.ofNanos(max),
                maxPercent, () -> now);
        // Some backends are bad most of the time, the others seldom
        Map<Backend, Double> failureRate = new HashMap<>();
        pool.forEach(b -> failureRate.put(b, random.nextBoolean() ? 0.9 : 0.05));
        Map<Backend, Integer> failuresInARow = new HashMap<>();
        Map<Backend, long[]> lastEjection = new HashMap<>(); // start, duration
        String settings = "seed %d: %d backends, %d failures, base %d, max %d, %d%%"
                .formatted(seed, size, threshold, base, max, maxPercent);

        for (int step = 0; step < 3_000; step++) {
            now += random.nextInt(10) == 0 ? random.nextLong(3 * EjectionPolicy.FORGET_AFTER_BASES * base)
                    : random.nextLong(base / 10);
            Backend b = pool.get(random.nextInt(size));
            if (random.nextInt(50) == 0) {
                // The active check's verdict
                b.markDown(random.nextInt(3) == 0);
                if (!b.isDown() && random.nextBoolean()) {
                    b.unEject();
                }
                continue;
            }
            if (random.nextDouble() >= failureRate.get(b)) {
                detector.success(b);
                failuresInARow.put(b, 0);
                continue;
            }
            boolean wasEjected = b.ejected(now);
            detector.failure(b);
            int failures = failuresInARow.merge(b, 1, Integer::sum);
            if (wasEjected || !b.ejected(now)) {
                continue;
            }
            String at = settings + ", step %d, %s ejected".formatted(step, b);

            long out = pool.stream().filter(o -> o.isDown() || o.ejected(now)).count();
            assertThat(out * 100).as("%s: %d out, in hundredths", at, out).isLessThanOrEqualTo((long) maxPercent * size);
            assertThat(out).as("%s: out", at).isLessThan(size);
            assertThat(failures).as("%s: failures in a row", at).isGreaterThanOrEqualTo(threshold);

            long duration = ejectionNanos(b);
            long[] last = lastEjection.get(b);
            boolean remembered = last != null
                    && now - (last[0] + last[1]) < EjectionPolicy.FORGET_AFTER_BASES * base;
            assertThat(duration).as("%s: for, after %s", at, last == null ? "none" : last[1])
                    .isEqualTo(remembered ? Math.min(last[1] + base, max) : Math.min(base, max));
            assertThat(b.ejected(now + duration)).as("%s: ejected at the end of its time", at).isFalse();
            lastEjection.put(b, new long[] {now, duration});
            failuresInARow.put(b, 0);
        }
        if (size < 2 || maxPercent * size < 100) {
            assertThat(lastEjection).as("%s: no room for one ejection, yet ejected", settings).isEmpty();
        }
    }

    /**
     * Every backend of the pool failing from several threads at once: never more than the share
     * ejected, and once the threads are done, one more failure each fills it.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void concurrentFailuresEjectUpToTheMaxShare(long seed) throws Exception {
        RandomGenerator random = Seeds.random(seed);
        int size = random.nextInt(1, 17);
        int maxPercent = random.nextInt(0, 101);
        List<Backend> pool = pool(size);
        OutlierDetector detector = new OutlierDetector(pool, random.nextInt(1, 4), Duration.ofHours(1),
                Duration.ofHours(1), maxPercent);
        int threads = 4;

        CyclicBarrier together = new CyclicBarrier(threads);
        List<Callable<Void>> failing = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            failing.add(() -> {
                together.await();
                for (int i = 0; i < 2_000; i++) {
                    detector.failure(pool.get(i % size));
                }
                return null;
            });
        }
        try (ExecutorService executor = Executors.newFixedThreadPool(threads)) {
            for (var done : executor.invokeAll(failing)) {
                done.get();
            }
        }

        int share = Math.min(size - 1, maxPercent * size / 100);
        assertThat(pool.stream().filter(b -> !b.available()).count())
                .as("seed %d: ejected of %d at most %d%%", seed, size, maxPercent)
                .isLessThanOrEqualTo(share);
        pool.forEach(detector::failure);
        assertThat(pool.stream().filter(b -> !b.available()).count())
                .as("seed %d: ejected of %d at most %d%%, then one more failure each", seed, size, maxPercent)
                .isEqualTo(share);
    }

    private OutlierDetector detector(List<Backend> pool, int consecutiveFailures, int maxEjectionPercent) {
        return new OutlierDetector(pool, consecutiveFailures, BASE, MAX, maxEjectionPercent, () -> now);
    }

    /** How long {@code b}'s ejection lasts from now: the first time it is not ejected, by bisection. */
    private long ejectionNanos(Backend b) {
        long lo = 0;
        long hi = Long.MAX_VALUE / 4;
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (b.ejected(now + mid)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static List<Backend> pool(int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> new Backend(Endpoint.of("b" + i + ".test", 80),
                        InetSocketAddress.createUnresolved("b" + i + ".test", 80)))
                .toList();
    }
}
