package dev.sluice.balance;

import static dev.sluice.balance.TestBackends.backend;
import static dev.sluice.balance.TestBackends.copy;
import static dev.sluice.balance.TestBackends.equal;
import static dev.sluice.balance.TestBackends.hold;
import static dev.sluice.balance.TestBackends.randomHost;
import static dev.sluice.balance.TestBackends.weighted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.testing.Seeds;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.stream.DoubleStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class BoundedLoadConsistentHashTest {

    private static final double EPSILON = 0.25;
    private static final int KEYS = 20_000;

    static LongStream seeds() {
        return Seeds.seeds(30);
    }

    static Stream<Arguments> seedsAndEpsilons() {
        return DoubleStream.of(0.1, 0.25, 1.0)
                .boxed()
                .flatMap(epsilon -> Seeds.seeds(10).mapToObj(seed -> Arguments.of(seed, epsilon)));
    }

    @Test
    void noBackendPicksNothing() {
        assertThat(LoadBalancer.consistentHash(List.of(), EPSILON).pick("a.example")).isNull();
    }

    @Test
    void oneBackendTakesEverythingHoweverLoaded() {
        List<Backend> one = weighted(2);
        hold(one.get(0), 1_000);

        assertThat(LoadBalancer.consistentHash(one, EPSILON).pick("a.example")).isSameAs(one.get(0));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, -0.25, Double.NaN})
    void epsilonMustBePositive(double epsilon) {
        assertThatThrownBy(() -> LoadBalancer.consistentHash(weighted(1), epsilon))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be greater than 0");
    }

    /**
     * Proxies of one fleet, of any version, on any machine, must send a host to the same backend,
     * or each rollout scatters the hosts and their caches go cold: a change here breaks that.
     */
    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            example.com            | 10.0.0.1:8080
            api.example.com        | 10.0.0.1:8080
            www.example.org        | 10.0.0.1:8080
            xn--mnchen-3ya.example | 10.0.0.2:8080
            ''                     | 10.0.0.3:8080
            cdn.example.net        | 10.0.0.1:8080
            localhost              | [2001:db8::4]:8080
            a.b.c.d.example        | [2001:db8::4]:8080
            """)
    void mapsHostsTheSameEverywhere(String hostKey, String authority) {
        List<Backend> backends = List.of(
                backend("10.0.0.1", 8080, 1),
                backend("10.0.0.2", 8080, 2),
                backend("10.0.0.3", 8080, 1),
                backend("2001:db8::4", 8080, 3));

        assertThat(LoadBalancer.consistentHash(backends, EPSILON).pick(hostKey).endpoint().authority())
                .isEqualTo(authority);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void sameBackendsInAnyOrderMapKeysTheSame(long seed) {
        RandomGenerator random = Seeds.random(seed);
        List<Backend> backends = TestBackends.random(random, random.nextInt(1, 21), 4);
        List<Backend> shuffled = new ArrayList<>(copy(backends));
        Collections.shuffle(shuffled, random);
        List<String> keys = randomKeys(random, 10_000);

        assertThat(authorities(LoadBalancer.consistentHash(shuffled, EPSILON), keys))
                .as("seed %d", seed)
                .isEqualTo(authorities(LoadBalancer.consistentHash(backends, EPSILON), keys));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void anAddedBackendTakesItsShareOfKeysFromTheOthersAndNothingElseMoves(long seed) {
        RandomGenerator random = Seeds.random(seed);
        int n = random.nextInt(2, 21);
        List<Backend> backends = TestBackends.random(random, n, 1);
        List<Backend> more = new ArrayList<>(backends);
        Backend added = backend(randomHost(random, "new"), 1);
        more.add(random.nextInt(n + 1), added);
        LoadBalancer before = LoadBalancer.consistentHash(backends, EPSILON);
        LoadBalancer after = LoadBalancer.consistentHash(more, EPSILON);

        int moved = 0;
        List<String> movedElsewhere = new ArrayList<>();
        for (String key : randomKeys(random, KEYS)) {
            Backend now = after.pick(key);
            if (now != before.pick(key)) {
                moved++;
                if (now != added) {
                    movedElsewhere.add(key);
                }
            }
        }

        assertThat(movedElsewhere).as("seed %d: keys that moved but not to the added backend", seed).isEmpty();
        // The added backend's share of the ring is 1/(n+1) with a standard deviation of about a tenth of that
        assertThat((double) moved / KEYS)
                .as("seed %d: share of keys moved going from %d backends to %d", seed, n, n + 1)
                .isBetween(0.5 / (n + 1), 1.6 / (n + 1));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aRemovedBackendsKeysMoveAndNoOthers(long seed) {
        RandomGenerator random = Seeds.random(seed);
        List<Backend> backends = TestBackends.random(random, random.nextInt(2, 21), 4);
        List<Backend> fewer = new ArrayList<>(backends);
        Backend removed = fewer.remove(random.nextInt(backends.size()));
        LoadBalancer before = LoadBalancer.consistentHash(backends, EPSILON);
        LoadBalancer after = LoadBalancer.consistentHash(fewer, EPSILON);

        List<String> movedNeedlessly = randomKeys(random, KEYS).stream()
                .filter(key -> before.pick(key) != removed && after.pick(key) != before.pick(key))
                .toList();

        assertThat(movedNeedlessly).as("seed %d: keys that moved off backends still there", seed).isEmpty();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void keysSpreadByWeight(long seed) {
        RandomGenerator random = Seeds.random(seed);
        List<Backend> backends = TestBackends.random(random, random.nextInt(2, 21), 4);
        LoadBalancer lb = LoadBalancer.consistentHash(backends, EPSILON);
        int totalWeight = backends.stream().mapToInt(Backend::weight).sum();

        Map<Backend, Integer> keysOf = new HashMap<>();
        randomKeys(random, KEYS).forEach(key -> keysOf.merge(lb.pick(key), 1, Integer::sum));

        for (Backend backend : backends) {
            double p = (double) backend.weight() / totalWeight;
            double expected = KEYS * p;
            // Random points give a backend with m of the ring's points a Beta-distributed share
            // of it, relative deviation sqrt((1 - p) / m); the keys add binomial noise. Six
            // standard deviations: a ring this far off has points that are not random.
            int points = backend.weight() * BoundedLoadConsistentHash.POINTS_PER_WEIGHT;
            double deviation = expected * Math.sqrt((1 - p) * (1.0 / points + 1 / expected));
            assertThat((double) keysOf.getOrDefault(backend, 0))
                    .as("seed %d: keys on %s of %d backends, weight %d of %d", seed, backend, backends.size(),
                            backend.weight(), totalWeight)
                    .isCloseTo(expected, within(6 * deviation));
        }
    }

    @ParameterizedTest(name = "seed {0}, epsilon {1}")
    @MethodSource("seedsAndEpsilons")
    void noBackendGoesOverItsBoundAndKeysLeaveOnlyFullBackends(long seed, double epsilon) {
        RandomGenerator random = Seeds.random(seed);
        List<Backend> backends = TestBackends.random(random, random.nextInt(2, 13), 3);
        LoadBalancer lb = LoadBalancer.consistentHash(backends, epsilon);
        // The same ring with nothing in flight says each key's own backend
        LoadBalancer idle = LoadBalancer.consistentHash(copy(backends), epsilon);
        int totalWeight = backends.stream().mapToInt(Backend::weight).sum();
        String hot = randomHost(random, "hot");
        List<String> others = randomKeys(random, 200);

        // Requests arrive and none ends: half of them for one hot host
        for (int total = 1; total <= 2_000; total++) {
            String key = random.nextBoolean() ? hot : others.get(random.nextInt(others.size()));
            Backend own = backends.get(idle.backends().indexOf(idle.pick(key)));
            boolean ownHasRoom = own.inFlight() < capacity(epsilon, total, own.weight(), totalWeight);

            Backend picked = lb.pick(key);
            picked.begin();

            if (ownHasRoom) {
                assertThat(picked).as("seed %d: request %d for %s", seed, total, key).isSameAs(own);
            }
            for (Backend backend : backends) {
                assertThat((long) backend.inFlight())
                        .as("seed %d: in flight on %s, weight %d of %d, after request %d", seed, backend,
                                backend.weight(), totalWeight, total)
                        .isLessThanOrEqualTo(capacity(epsilon, total, backend.weight(), totalWeight));
            }
        }
    }

    @Test
    void aHotHostSpillsOverAndComesBackWhenItsBackendHasRoom() {
        List<Backend> backends = equal(4);
        LoadBalancer lb = LoadBalancer.consistentHash(backends, EPSILON);
        Backend own = lb.pick("hot.example");

        List<Backend> picked = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Backend backend = lb.pick("hot.example");
            backend.begin();
            picked.add(backend);
        }

        // Capacity at 100 in flight on 4 backends: ceil(1.25 * 100 / 4) = 32
        assertThat(own.inFlight()).isEqualTo(32);
        assertThat(backends).allSatisfy(b -> assertThat(b.inFlight()).isBetween(1, 32));

        picked.forEach(Backend::end);
        assertThat(lb.pick("hot.example")).isSameAs(own);
    }

    /**
     * A backend's bound with {@code total} requests in flight: {@code ceil((1 + epsilon) * total
     * * weight / totalWeight)}, evaluated in the balancer's order so that rounding agrees.
     */
    private static long capacity(double epsilon, long total, int weight, int totalWeight) {
        return (long) Math.ceil((1 + epsilon) * total / totalWeight * weight);
    }

    private static List<String> randomKeys(RandomGenerator random, int n) {
        return Stream.generate(() -> randomHost(random, "h")).limit(n).toList();
    }

    private static List<String> authorities(LoadBalancer lb, List<String> keys) {
        return keys.stream().map(key -> lb.pick(key).endpoint().authority()).toList();
    }
}
