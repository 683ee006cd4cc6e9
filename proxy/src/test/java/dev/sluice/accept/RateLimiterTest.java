package dev.sluice.accept;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.Seeds;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RateLimiterTest {

    static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    static final long S = TimeUnit.SECONDS.toNanos(1);

    /** A clock tests move by hand; starts far from 0, as nanoTime may. */
    static final class FakeClock {
        long now = -5 * S;

        void advance(long nanos) {
            now += nanos;
        }
    }

    final FakeClock clock = new FakeClock();

    RateLimiter limiter(int rate, int burst, int maxBuckets) {
        return new RateLimiter(rate, burst, maxBuckets, () -> clock.now);
    }

    static InetAddress ip(int n) {
        try {
            return InetAddress.getByAddress(new byte[] {10, (byte) (n >> 16), (byte) (n >> 8), (byte) n});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aBurstThenOneRequestPerInterval() {
        RateLimiter limiter = limiter(10, 5, 100);
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.tryAcquire(ip(1))).as("request %d of the burst", i).isTrue();
        }
        assertThat(limiter.tryAcquire(ip(1))).isFalse();
        assertThat(limiter.retryAfterSeconds(ip(1))).isEqualTo(1);
        clock.advance(100 * MS);
        assertThat(limiter.tryAcquire(ip(1))).isTrue();
        assertThat(limiter.tryAcquire(ip(1))).isFalse();
        clock.advance(S);
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.tryAcquire(ip(1))).isTrue();
        }
        assertThat(limiter.tryAcquire(ip(1))).isFalse();
    }

    @Test
    void addressesHaveTheirOwnBuckets() {
        RateLimiter limiter = limiter(1, 1, 100);
        assertThat(limiter.tryAcquire(ip(1))).isTrue();
        assertThat(limiter.tryAcquire(ip(1))).isFalse();
        assertThat(limiter.tryAcquire(ip(2))).isTrue();
    }

    @Test
    void burstZeroMeansTheRate() {
        RateLimiter limiter = limiter(3, 0, 100);
        assertThat(LongStream.range(0, 10).filter(i -> limiter.tryAcquire(ip(1))).count()).isEqualTo(3);
    }

    @Test
    void retryAfterIsTheWaitForOneTokenRoundedUp() {
        RateLimiter limiter = limiter(1, 1, 100);
        assertThat(limiter.tryAcquire(ip(1))).isTrue();
        assertThat(limiter.retryAfterSeconds(ip(1))).isEqualTo(1);
        RateLimiter slow = new RateLimiter(1, 2, 100, () -> clock.now);
        slow.tryAcquire(ip(1));
        slow.tryAcquire(ip(1));
        slow.tryAcquire(ip(1)); // refused: the bucket is empty for the next second
        clock.advance(300 * MS);
        assertThat(slow.retryAfterSeconds(ip(1))).isEqualTo(1);
        assertThat(slow.tryAcquire(ip(1))).isFalse();
        clock.advance(700 * MS);
        assertThat(slow.tryAcquire(ip(1))).isTrue();
    }

    @Test
    void rateZeroIsOffAndKeepsNoState() {
        RateLimiter off = RateLimiter.of(0, 50);
        for (int i = 0; i < 1000; i++) {
            assertThat(off.tryAcquire(ip(i))).isTrue();
        }
        assertThat(off.buckets()).isZero();
    }

    @Test
    void aFullTableRefusesNewAddressesUntilABucketIsFullAgain() {
        RateLimiter limiter = limiter(10, 2, 3);
        for (int n = 1; n <= 3; n++) {
            assertThat(limiter.tryAcquire(ip(n))).isTrue();
        }
        assertThat(limiter.tryAcquire(ip(4))).as("no bucket is full: no room").isFalse();
        assertThat(limiter.retryAfterSeconds(ip(4))).isEqualTo(1);
        assertThat(limiter.tryAcquire(ip(1))).as("known addresses go on").isTrue();
        clock.advance(150 * MS); // ip 2 and 3 are full again; ip 1 is not
        assertThat(limiter.tryAcquire(ip(4))).isTrue();
        assertThat(limiter.buckets()).isEqualTo(2);
    }

    @Test
    void aFullTableIsSweptAtMostOncePerInterval() {
        RateLimiter limiter = limiter(1000, 1, 2);
        limiter.tryAcquire(ip(1));
        limiter.tryAcquire(ip(2));
        assertThat(limiter.tryAcquire(ip(3))).isFalse(); // swept now: nothing full
        clock.advance(RateLimiter.SWEEP_INTERVAL_NANOS / 2); // all full again, but the sweep is not due
        assertThat(limiter.tryAcquire(ip(3))).isFalse();
        clock.advance(RateLimiter.SWEEP_INTERVAL_NANOS / 2);
        assertThat(limiter.tryAcquire(ip(3))).isTrue();
    }

    static LongStream seeds() {
        return Seeds.seeds(30);
    }

    /**
     * Decisions match a plain token bucket kept in nanoseconds of credit: it earns one nanosecond
     * a nanosecond up to {@code burst} intervals, and a request costs one interval.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void decidesAsATokenBucket(long seed) {
        RandomGenerator random = Seeds.random(seed);
        int rate = 1 + random.nextInt(2000);
        int burst = random.nextInt(20);
        int addresses = 1 + random.nextInt(5);
        RateLimiter limiter = limiter(rate, burst, 1000);
        long interval = S / rate;
        long capacity = interval * (burst == 0 ? rate : burst);
        Map<Integer, long[]> model = new HashMap<>(); // credit, last time
        for (int step = 0; step < 5000; step++) {
            clock.advance(random.nextLong(3 * interval));
            int n = random.nextInt(addresses);
            long[] m = model.computeIfAbsent(n, k -> new long[] {capacity, clock.now});
            m[0] = Math.min(capacity, m[0] + (clock.now - m[1]));
            m[1] = clock.now;
            boolean expected = m[0] >= interval;
            if (expected) {
                m[0] -= interval;
            }
            assertThat(limiter.tryAcquire(ip(n)))
                    .as("seed %d, step %d, rate %d, burst %d", seed, step, rate, burst).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void neverTracksMoreThanItsBound(long seed) {
        RandomGenerator random = Seeds.random(seed);
        int bound = 1 + random.nextInt(50);
        RateLimiter limiter = limiter(1 + random.nextInt(100), random.nextInt(10), bound);
        for (int step = 0; step < 5000; step++) {
            clock.advance(random.nextLong(20 * MS));
            limiter.tryAcquire(ip(random.nextInt(500)));
            assertThat(limiter.buckets()).as("seed %d, step %d", seed, step).isLessThanOrEqualTo(bound);
        }
    }

    @Test
    void concurrentRequestsTakeExactlyTheBurst() throws Exception {
        RateLimiter limiter = limiter(1, 1000, 100); // the clock stands still: no refill
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            Future<?>[] done = new Future<?>[8];
            int[] admitted = new int[8];
            for (int t = 0; t < 8; t++) {
                int me = t;
                done[t] = threads.submit(() -> {
                    go.await();
                    for (int i = 0; i < 10_000; i++) {
                        if (limiter.tryAcquire(ip(i % 2))) {
                            admitted[me]++;
                        }
                    }
                    return null;
                });
            }
            go.countDown();
            int sum = 0;
            for (int t = 0; t < 8; t++) {
                done[t].get(30, TimeUnit.SECONDS);
                sum += admitted[t];
            }
            assertThat(sum).isEqualTo(2 * 1000);
        } finally {
            threads.shutdownNow();
        }
    }
}
