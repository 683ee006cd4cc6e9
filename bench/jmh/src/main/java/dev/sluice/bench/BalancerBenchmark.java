package dev.sluice.bench;

import dev.sluice.balance.Backend;
import dev.sluice.balance.Endpoint;
import dev.sluice.balance.LoadBalancer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link LoadBalancer#pick} for each algorithm over {@code backends} backends. The balancers are
 * shared by all benchmark threads, as one pool's balancer is shared by all event loops.
 *
 * <p>The backends carry a steady load, 0, 1, 2, 0, 1, 2… requests in flight, so that least
 * request compares unequal loads and bounded-load hashing sometimes finds a key's backend full and
 * walks on round the ring; at idle neither would do its real work. Nothing changes the loads
 * during a run, so every operation sees the same state.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BalancerBenchmark {

    static final double EPSILON = 0.25;

    @Param({"2", "16", "128"})
    int backends;

    LoadBalancer roundRobin;
    LoadBalancer leastRequest;
    LoadBalancer consistentHash;

    @Setup
    public void setUp() {
        List<Backend> list = new ArrayList<>(backends);
        for (int i = 0; i < backends; i++) {
            Backend backend = new Backend(Endpoint.of("127.0.0.1", 9000 + i),
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 9000 + i));
            for (int r = 0; r < i % 3; r++) {
                backend.begin();
            }
            list.add(backend);
        }
        roundRobin = LoadBalancer.roundRobin(list);
        leastRequest = LoadBalancer.leastRequest(list);
        consistentHash = LoadBalancer.consistentHash(list, EPSILON);
    }

    /** Each thread's own walk through the hash keys: a shared cursor would be contention of its own. */
    @State(Scope.Thread)
    public static class HostKeys {

        static final int KEYS = 1024; // a power of two: the next key is an AND away

        String[] keys;
        int next;

        @Setup
        public void setUp() {
            SplittableRandom random = new SplittableRandom(42);
            keys = new String[KEYS];
            for (int k = 0; k < KEYS; k++) {
                keys[k] = "tenant-" + random.nextInt(1_000_000) + ".apps.example.com";
            }
        }

        String next() {
            return keys[next++ & (KEYS - 1)];
        }
    }

    @Benchmark
    public Backend roundRobin() {
        return roundRobin.pick("");
    }

    /** Two threads on one counter: what two event loops picking from one pool pay for sharing it. */
    @Benchmark
    @Threads(2)
    public Backend roundRobinTwoThreads() {
        return roundRobin.pick("");
    }

    @Benchmark
    public Backend leastRequest() {
        return leastRequest.pick("");
    }

    @Benchmark
    public Backend consistentHash(HostKeys keys) {
        return consistentHash.pick(keys.next());
    }
}
