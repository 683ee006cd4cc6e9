package dev.sluice.bench;

import dev.sluice.balance.Balance;
import dev.sluice.balance.LoadBalancer;
import dev.sluice.route.Pool;
import dev.sluice.route.Route;
import dev.sluice.route.RouteTable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link RouteTable#match} on tables of {@code exactHosts} exact-host rules, three wildcard rules
 * and a host-less default, as a config with many virtual hosts compiles to. Each operation looks
 * up the next of {@value #KEYS} precomputed host keys, so a large table is read all over rather
 * than through one hot bucket. The keys are other String instances than the rules' hosts, as a
 * key parsed from a request would be: the lookup compares the characters.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RouteTableBenchmark {

    static final int KEYS = 1024; // a power of two: the next key is an AND away
    static final String[] WILDCARD_SUFFIXES = {"apps.example.net", "preview.example.org", "internal.example"};
    static final String PATH = "/api/v1/orders";

    @Param({"10", "1000", "10000", "100000"})
    int exactHosts;

    RouteTable table;
    String[] exactKeys;
    String[] wildcardKeys;
    String[] missKeys;
    int next;

    @Setup
    public void setUp() {
        Pool pool = new Pool("web", Balance.ROUND_ROBIN, LoadBalancer.roundRobin(List.of()));
        List<Route> routes = new ArrayList<>();
        for (int i = 0; i < exactHosts; i++) {
            routes.add(new Route(routes.size(), exactHost(i), "/", pool));
        }
        for (String suffix : WILDCARD_SUFFIXES) {
            routes.add(new Route(routes.size(), "*." + suffix, "/", pool));
        }
        routes.add(new Route(routes.size(), null, "/", pool)); // the default, last as in a config
        table = new RouteTable(1, routes);

        SplittableRandom random = new SplittableRandom(42);
        exactKeys = new String[KEYS];
        wildcardKeys = new String[KEYS];
        missKeys = new String[KEYS];
        for (int k = 0; k < KEYS; k++) {
            exactKeys[k] = exactHost(random.nextInt(exactHosts));
            wildcardKeys[k] = "tenant-" + random.nextInt(100_000) + "." + WILDCARD_SUFFIXES[k % WILDCARD_SUFFIXES.length];
            missKeys[k] = "host-" + random.nextInt(100_000) + ".example.com";
        }
        check(exactKeys, true);
        check(wildcardKeys, true);
        check(missKeys, false);
    }

    private static String exactHost(int i) {
        return "svc-" + i + ".example.com";
    }

    /** A benchmark measuring the wrong path is worse than none: fail the setup instead. */
    private void check(String[] keys, boolean hostRule) {
        for (String key : keys) {
            Route route = table.match(key, PATH);
            if (route == null || (route.host() != null) != hostRule) {
                throw new IllegalStateException(key + " matched " + route);
            }
        }
    }

    private int nextKey() {
        return next++ & (KEYS - 1);
    }

    @Benchmark
    public Route exactHit() {
        return table.match(exactKeys[nextKey()], PATH);
    }

    @Benchmark
    public Route wildcardHit() {
        return table.match(wildcardKeys[nextKey()], PATH);
    }

    @Benchmark
    public Route missToDefault() {
        return table.match(missKeys[nextKey()], PATH);
    }
}
