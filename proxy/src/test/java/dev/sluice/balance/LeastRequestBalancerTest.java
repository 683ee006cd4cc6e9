package dev.sluice.balance;

import static dev.sluice.balance.TestBackends.equal;
import static dev.sluice.balance.TestBackends.hold;
import static dev.sluice.balance.TestBackends.weighted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.testing.Seeds;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LeastRequestBalancerTest {

    private static final int PICKS = 10_000;

    static LongStream seeds() {
        return Seeds.seeds(40);
    }

    @Test
    void noBackendPicksNothingAndOneBackendIsAlwaysPicked() {
        assertThat(LoadBalancer.leastRequest(List.of()).pick("a.example")).isNull();

        List<Backend> one = weighted(3);
        hold(one.get(0), 100);
        assertThat(LoadBalancer.leastRequest(one).pick("a.example")).isSameAs(one.get(0));
    }

    @Test
    void loadIsCountedPerUnitOfWeight() {
        List<Backend> backends = weighted(4, 1);
        hold(backends.get(0), 6); // 1.5 per unit of weight
        hold(backends.get(1), 2); // 2

        assertThat(LoadBalancer.leastRequest(backends).pick("")).isSameAs(backends.get(0));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void ofTwoBackendsTheLessLoadedIsAlwaysPicked(long seed) {
        RandomGenerator random = Seeds.random(seed);
        List<Backend> backends = weighted(random.nextInt(1, 9), random.nextInt(1, 9));
        Backend a = backends.get(0);
        Backend b = backends.get(1);
        hold(a, random.nextInt(0, 20));
        hold(b, random.nextInt(0, 20));
        long loadA = (long) a.inFlight() * b.weight();
        long loadB = (long) b.inFlight() * a.weight();
        if (loadA == loadB) {
            hold(a, 1);
            loadA += b.weight();
        }
        Backend lessLoaded = loadA < loadB ? a : b;
        LoadBalancer lb = new LeastRequestBalancer(backends, () -> random);

        for (int i = 0; i < 1_000; i++) {
            assertThat(lb.pick(""))
                    .as("seed %d: %d in flight on %s and %d on %s", seed, a.inFlight(), a, b.inFlight(), b)
                    .isSameAs(lessLoaded);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theLessLoadedABackendTheMoreOftenItIsPicked(long seed) {
        RandomGenerator random = Seeds.random(seed);
        int n = random.nextInt(3, 11);
        List<Backend> backends = equal(n);
        // Distinct loads: the backend of rank r (0 the least loaded) wins every pair it is in
        // with one of the n-1-r more loaded, so it is picked in (n-1-r) of n(n-1)/2 pairs.
        List<Integer> ranks = new ArrayList<>(IntStream.range(0, n).boxed().toList());
        Collections.shuffle(ranks, random);
        for (int i = 0; i < n; i++) {
            hold(backends.get(i), 3 * ranks.get(i) + random.nextInt(3));
        }
        LoadBalancer lb = new LeastRequestBalancer(backends, () -> random);

        int[] picks = new int[n];
        for (int i = 0; i < PICKS; i++) {
            picks[backends.indexOf(lb.pick(""))]++;
        }

        for (int i = 0; i < n; i++) {
            int rank = ranks.get(i);
            double expected = 2.0 * (n - 1 - rank) / (n * (n - 1));
            // ±0.03 is more than six standard deviations of the share over 10,000 picks
            assertThat((double) picks[i] / PICKS)
                    .as("seed %d: share of picks of the backend of load rank %d of %d", seed, rank, n)
                    .isCloseTo(expected, within(0.03));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void atIdleBackendsArePickedByWeight(long seed) {
        RandomGenerator random = Seeds.random(seed);
        int weightA = random.nextInt(1, 17);
        int weightB = random.nextInt(1, 17);
        List<Backend> backends = weighted(weightA, weightB);
        LoadBalancer lb = new LeastRequestBalancer(backends, () -> random);

        long picksOfA = IntStream.range(0, PICKS).filter(i -> lb.pick("") == backends.get(0)).count();

        assertThat((double) picksOfA / PICKS)
                .as("seed %d: share of picks of weight %d against weight %d", seed, weightA, weightB)
                .isCloseTo((double) weightA / (weightA + weightB), within(0.03));
    }
}
