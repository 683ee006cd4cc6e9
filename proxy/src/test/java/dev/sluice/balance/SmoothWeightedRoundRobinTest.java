package dev.sluice.balance;

import static dev.sluice.balance.TestBackends.weighted;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SmoothWeightedRoundRobinTest {

    static LongStream seeds() {
        return Seeds.seeds(40);
    }

    @Test
    void spreadsTurnsAsNginxDoes() {
        List<Backend> backends = weighted(5, 1, 1);
        LoadBalancer lb = LoadBalancer.roundRobin(backends);

        assertThat(indexes(lb, 14)).containsExactly(0, 0, 1, 0, 2, 0, 0, 0, 0, 1, 0, 2, 0, 0);
    }

    @Test
    void noBackendPicksNothing() {
        assertThat(LoadBalancer.roundRobin(List.of()).pick("a.example")).isNull();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyRunOfOneCycleHoldsEachBackendWeightTimes(long seed) {
        RandomGenerator random = Seeds.random(seed);
        List<Backend> backends = weighted(randomWeights(random, 256));
        int cycle = totalWeight(backends);
        LoadBalancer lb = LoadBalancer.roundRobin(backends);
        int[] picks = indexes(lb, 3 * cycle);

        // Slide a window one cycle long over two cycles, so that it starts anywhere in one
        int[] counts = new int[backends.size()];
        int[] fewest = new int[backends.size()];
        int[] most = new int[backends.size()];
        Arrays.fill(fewest, Integer.MAX_VALUE);
        for (int t = 0; t < 3 * cycle; t++) {
            counts[picks[t]]++;
            if (t >= cycle) {
                counts[picks[t - cycle]]--;
            }
            if (t >= cycle - 1) {
                for (int i = 0; i < counts.length; i++) {
                    fewest[i] = Math.min(fewest[i], counts[i]);
                    most[i] = Math.max(most[i], counts[i]);
                }
            }
        }
        for (int i = 0; i < backends.size(); i++) {
            assertThat(new int[] {fewest[i], most[i]})
                    .as("seed %d: fewest and most picks of %s in a run of %d picks", seed, backends.get(i), cycle)
                    .containsExactly(backends.get(i).weight(), backends.get(i).weight());
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void turnsOfABackendAreNeverFarApart(long seed) {
        RandomGenerator random = Seeds.random(seed);
        // Small weights too: uneven sets of few turns are where bunching shows
        List<Backend> backends = weighted(randomWeights(random, random.nextBoolean() ? 256 : 8));
        int cycle = totalWeight(backends);
        int[] picks = indexes(LoadBalancer.roundRobin(backends), 2 * cycle);

        for (int i = 0; i < backends.size(); i++) {
            int weight = backends.get(i).weight();
            int last = -1;
            int maxGap = 0;
            for (int t = 0; t < picks.length; t++) {
                if (picks[t] == i) {
                    maxGap = last < 0 ? maxGap : Math.max(maxGap, t - last);
                    last = t;
                }
            }
            // Evenly spaced turns would be cycle/weight apart; smooth WRR stays within twice
            // that (the worst of 30,000 random weight sets was 1.99 times).
            assertThat(maxGap)
                    .as("seed %d: longest gap between turns of %s in a cycle of %d", seed, backends.get(i), cycle)
                    .isLessThanOrEqualTo(2 * cycle / weight);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void concurrentPicksOverWholeCyclesGiveExactTotals(long seed) throws Exception {
        RandomGenerator random = Seeds.random(seed);
        List<Backend> backends = weighted(randomWeights(random, 16));
        LoadBalancer lb = LoadBalancer.roundRobin(backends);
        int cycles = 50;
        int total = cycles * totalWeight(backends);
        int threads = 4;

        CyclicBarrier together = new CyclicBarrier(threads);
        List<Callable<int[]>> pickers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int share = total / threads + (t < total % threads ? 1 : 0);
            pickers.add(() -> {
                together.await();
                int[] mine = new int[backends.size()];
                for (int i = 0; i < share; i++) {
                    mine[backends.indexOf(lb.pick(""))]++;
                }
                return mine;
            });
        }
        List<int[]> counts = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (Future<int[]> mine : pool.invokeAll(pickers)) {
                counts.add(mine.get());
            }
        }

        for (int i = 0; i < backends.size(); i++) {
            int sum = 0;
            for (int[] mine : counts) {
                sum += mine[i];
            }
            assertThat(sum)
                    .as("seed %d: picks of %s over %d cycles from %d threads", seed, backends.get(i), cycles, threads)
                    .isEqualTo(cycles * backends.get(i).weight());
        }
    }

    private static int[] randomWeights(RandomGenerator random, int maxWeight) {
        return random.ints(random.nextInt(1, 21), 1, maxWeight + 1).toArray();
    }

    private static int totalWeight(List<Backend> backends) {
        return backends.stream().mapToInt(Backend::weight).sum();
    }

    /** The next {@code n} picks, as indexes into the balancer's backends. */
    private static int[] indexes(LoadBalancer lb, int n) {
        int[] picks = new int[n];
        for (int t = 0; t < n; t++) {
            picks[t] = lb.backends().indexOf(lb.pick(""));
        }
        return picks;
    }
}
