package dev.sluice.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class RetryBudgetTest {

    static LongStream seeds() {
        return Seeds.seeds(20);
    }

    @ParameterizedTest(name = "{0}% of {2} in flight, at least {1}: {3} retries")
    @CsvSource(textBlock = """
            20,   3,    0,   3
            20,   3,   10,   3
            20,   3,  100,  20
            20,   0,   12,   3
            20,   0,    4,   1
            100,  0,    7,   7
            0,    2, 1000,   2
            0,    0, 1000,   0
            50,   0,    0,   0
            """)
    void allowsTheShareOfRequestsInFlightAndAtLeastTheMinimum(int percent, int min, int inFlight, int allowed) {
        RetryBudget budget = new RetryBudget(percent, min);

        int taken = 0;
        while (taken <= allowed && budget.tryAcquire(inFlight)) {
            taken++;
        }

        assertThat(taken).isEqualTo(allowed);
    }

    @Test
    void aReleasedRetryCanBeTakenAgain() {
        RetryBudget budget = new RetryBudget(0, 1);
        assertThat(budget.tryAcquire(10)).isTrue();
        assertThat(budget.tryAcquire(10)).isFalse();

        budget.release();

        assertThat(budget.tryAcquire(10)).isTrue();
    }

    /** Threads taking and releasing retries at once: never more under way than the budget allows. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theBudgetHoldsUnderConcurrency(long seed) throws Exception {
        RandomGenerator random = Seeds.random(seed);
        int percent = random.nextInt(0, 101);
        int min = random.nextInt(0, 5);
        int inFlight = random.nextInt(0, 50);
        int limit = Math.max(min, (percent * inFlight + 99) / 100);
        RetryBudget budget = new RetryBudget(percent, min);
        AtomicInteger underWay = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        int threads = 8;

        CyclicBarrier together = new CyclicBarrier(threads);
        List<Callable<Integer>> retrying = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            retrying.add(() -> {
                together.await();
                int taken = 0;
                for (int i = 0; i < 20_000; i++) {
                    if (budget.tryAcquire(inFlight)) {
                        most.accumulateAndGet(underWay.incrementAndGet(), Math::max);
                        taken++;
                        underWay.decrementAndGet();
                        budget.release();
                    }
                }
                return taken;
            });
        }
        int taken = 0;
        try (ExecutorService executor = Executors.newFixedThreadPool(threads)) {
            for (var done : executor.invokeAll(retrying)) {
                taken += done.get();
            }
        }

        String at = "seed %d: %d%% of %d in flight, at least %d".formatted(seed, percent, inFlight, min);
        assertThat(most.get()).as("%s: most retries under way", at).isLessThanOrEqualTo(limit);
        assertThat(taken > 0).as("%s: any retry taken", at).isEqualTo(limit > 0);
        // All released: the whole budget is there again
        for (int i = 0; i < limit; i++) {
            assertThat(budget.tryAcquire(inFlight)).as("%s: retry %d after all released", at, i + 1).isTrue();
        }
        assertThat(budget.tryAcquire(inFlight)).as("%s: one past the budget", at).isFalse();
    }
}
