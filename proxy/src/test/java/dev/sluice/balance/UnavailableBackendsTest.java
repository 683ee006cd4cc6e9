package dev.sluice.balance;

import static dev.sluice.balance.TestBackends.bringBack;
import static dev.sluice.balance.TestBackends.copy;
import static dev.sluice.balance.TestBackends.equal;
import static dev.sluice.balance.TestBackends.hold;
import static dev.sluice.balance.TestBackends.randomHost;
import static dev.sluice.balance.TestBackends.takeOut;
import static dev.sluice.balance.TestBackends.weighted;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every algorithm passes over backends that are down or ejected, and answers null when all are. */
class UnavailableBackendsTest {

    private static final double EPSILON = 0.25;

    static Stream<Arguments> balancesAndSeeds() {
        return Arrays.stream(Balance.values())
                .flatMap(balance -> Seeds.seeds(30).mapToObj(seed -> Arguments.of(balance, seed)));
    }

    static Stream<Long> seeds() {
        return Seeds.seeds(30).boxed();
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @MethodSource("balancesAndSeeds")
    void neverPicksAnUnavailableBackendAndPicksNothingOnlyWhenAllAreOut(Balance balance, long seed) {
        RandomGenerator random = Seeds.random(seed);
        List<Backend> backends = TestBackends.random(random, random.nextInt(1, 13), 4);
        LoadBalancer lb = balancer(balance, backends, random);

        for (int round = 0; round < 50; round++) {
            // A new random set out each round, from none to all
            double outShare = random.nextDouble();
            for (Backend backend : backends) {
                bringBack(backend);
                if (random.nextDouble() < outShare) {
                    takeOut(random, backend);
                }
            }
            boolean anyAvailable = backends.stream().anyMatch(Backend::available);
            for (int i = 0; i < 40; i++) {
                Backend picked = lb.pick(randomHost(random, "h"));
                if (anyAvailable) {
                    assertThat(picked).as("seed %d, round %d: picked of %s", seed, round, states(backends))
                            .isNotNull()
                            .matches(Backend::available, "available");
                    // Loads stay on, so hashing spills and least request compares real loads
                    picked.begin();
                } else {
                    assertThat(picked).as("seed %d, round %d: picked of %s", seed, round, states(backends))
                            .isNull();
                }
            }
        }
    }

    @Test
    void aLoneBackendThatIsOutIsNotPicked() {
        for (Balance balance : Balance.values()) {
            List<Backend> one = weighted(1);
            one.get(0).markDown(true);
            assertThat(LoadBalancer.of(balance, one, EPSILON).pick("a.example")).as("%s", balance).isNull();
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void roundRobinKeepsItsProportionsAmongTheAvailable(long seed) {
        RandomGenerator random = Seeds.random(seed);
        List<Backend> backends = weighted(random.ints(random.nextInt(2, 13), 1, 17).toArray());
        List<Backend> out = new ArrayList<>();
        for (Backend backend : backends.subList(1, backends.size())) {
            if (random.nextBoolean()) {
                takeOut(random, backend);
                out.add(backend);
            }
        }
        // The first stays in; shuffled, so it may be anywhere in the list
        List<Backend> shuffled = new ArrayList<>(backends);
        Collections.shuffle(shuffled, random);
        LoadBalancer lb = LoadBalancer.roundRobin(shuffled);
        int cycle = shuffled.stream().filter(Backend::available).mapToInt(Backend::weight).sum();
        int[] picks = new int[3 * cycle];
        for (int t = 0; t < picks.length; t++) {
            picks[t] = shuffled.indexOf(lb.pick(""));
        }

        // Every run of one cycle of the available weights holds each available backend weight times
        for (int start = 0; start + cycle <= picks.length; start++) {
            int[] counts = new int[shuffled.size()];
            for (int t = start; t < start + cycle; t++) {
                counts[picks[t]]++;
            }
            for (int i = 0; i < shuffled.size(); i++) {
                Backend backend = shuffled.get(i);
                assertThat(counts[i])
                        .as("seed %d: picks of %s in a run of %d from %d, with %s out", seed, backend, cycle, start, out)
                        .isEqualTo(backend.available() ? backend.weight() : 0);
            }
        }
    }

    @Test
    void leastRequestComparesTwoAvailableBackends() {
        List<Backend> backends = equal(3);
        backends.get(0).markDown(true);
        hold(backends.get(1), 5);
        hold(backends.get(2), 2);
        LoadBalancer lb = LoadBalancer.leastRequest(backends);

        for (int i = 0; i < 1_000; i++) {
            assertThat(lb.pick("")).isSameAs(backends.get(2));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void hostsOfAnUnavailableBackendMoveAsIfItWereRemovedAndComeBackWhenItReturns(long seed) {
        RandomGenerator random = Seeds.random(seed);
        List<Backend> backends = TestBackends.random(random, random.nextInt(2, 21), 4);
        LoadBalancer lb = LoadBalancer.consistentHash(backends, EPSILON);
        List<String> keys = Stream.generate(() -> randomHost(random, "h")).limit(5_000).toList();
        List<Backend> before = keys.stream().map(lb::pick).toList();

        List<Backend> out = new ArrayList<>();
        List<Backend> stillIn = new ArrayList<>();
        for (Backend backend : backends) {
            (random.nextInt(3) == 0 ? out : stillIn).add(backend);
        }
        if (stillIn.isEmpty()) {
            stillIn.add(out.removeLast());
        }
        out.forEach(backend -> takeOut(random, backend));
        LoadBalancer withoutThem = LoadBalancer.consistentHash(copy(stillIn), EPSILON);

        for (int k = 0; k < keys.size(); k++) {
            Backend own = before.get(k);
            Backend now = lb.pick(keys.get(k));
            if (own.available()) {
                assertThat(now).as("seed %d: %s of a backend still in, with %s out", seed, keys.get(k), out)
                        .isSameAs(own);
            }
            assertThat(now.endpoint())
                    .as("seed %d: %s, with %s out, against a ring without them", seed, keys.get(k), out)
                    .isEqualTo(withoutThem.pick(keys.get(k)).endpoint());
        }

        out.forEach(TestBackends::bringBack);
        assertThat(keys.stream().map(lb::pick).toList()).as("seed %d: after %s came back", seed, out)
                .isEqualTo(before);
    }

    @Test
    void boundedLoadsAreSharesOfTheAvailableWeight() {
        List<Backend> backends = equal(4);
        LoadBalancer lb = LoadBalancer.consistentHash(backends, EPSILON);
        Backend own = lb.pick("hot.example");
        backends.stream().filter(b -> b != own).limit(2).forEach(b -> b.markDown(true));

        for (int i = 0; i < 100; i++) {
            lb.pick("hot.example").begin();
        }

        // Capacity at 100 in flight on the 2 available backends: ceil(1.25 * 100 / 2) = 63
        assertThat(own.inFlight()).isEqualTo(63);
        assertThat(backends.stream().filter(Backend::available).mapToInt(Backend::inFlight).sum()).isEqualTo(100);
    }

    private static LoadBalancer balancer(Balance balance, List<Backend> backends, RandomGenerator random) {
        return balance == Balance.LEAST_REQUEST
                ? new LeastRequestBalancer(backends, () -> random)
                : LoadBalancer.of(balance, backends, EPSILON);
    }

    private static List<String> states(List<Backend> backends) {
        return backends.stream().map(b -> b + " " + b.state().configName()).toList();
    }
}
