package dev.sluice.bench;

import dev.sluice.balance.Balance;
import dev.sluice.config.AccessLogSettings;
import dev.sluice.config.AdminSettings;
import dev.sluice.config.BackendConfig;
import dev.sluice.config.Config;
import dev.sluice.config.FrontDoor;
import dev.sluice.config.HostPort;
import dev.sluice.config.PoolConfig;
import dev.sluice.config.RouteConfig;
import dev.sluice.control.RouteTableCompiler;
import dev.sluice.config.TransportChoice;
import dev.sluice.config.UpstreamSettings;
import dev.sluice.route.RouteTable;
import dev.sluice.route.RouteTableRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * What one live change costs the control plane at platform scale: compiling a config of
 * {@code hosts} exact-host routes over {@code backends} backends (in pools of ten) into a new
 * {@link RouteTable}, reusing the previous table's backends as a change does, and publishing it.
 * All addresses are IP literals, so no name is resolved.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
public class RouteTableSwapBenchmark {

    @Param({"100000"})
    int hosts;

    @Param({"1000"})
    int backends;

    Config config;
    RouteTable previous;
    RouteTableRef ref;
    long version;

    @Setup
    public void setUp() {
        Map<String, PoolConfig> pools = new LinkedHashMap<>();
        int poolCount = backends / 10;
        for (int p = 0; p < poolCount; p++) {
            List<BackendConfig> members = new ArrayList<>();
            for (int b = 0; b < 10; b++) {
                int n = p * 10 + b;
                members.add(new BackendConfig(new HostPort("10." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255),
                        8080), 1));
            }
            Balance balance = Balance.values()[p % Balance.values().length];
            pools.put("pool-" + p, new PoolConfig("pool-" + p, balance, PoolConfig.DEFAULT_HASH_EPSILON, members));
        }
        List<RouteConfig> routes = new ArrayList<>(hosts + 1);
        for (int h = 0; h < hosts; h++) {
            routes.add(new RouteConfig("app-" + h + ".example.com", "/", "pool-" + (h % poolCount)));
        }
        routes.add(new RouteConfig(null, "/", "pool-0"));
        config = new Config(new HostPort("127.0.0.1", 0), TransportChoice.AUTO, 0, Duration.ofSeconds(30),
                UpstreamSettings.DEFAULTS, pools, routes, AdminSettings.NONE, FrontDoor.DEFAULTS,
                AccessLogSettings.NONE);
        previous = RouteTableCompiler.compile(config, 1);
        ref = new RouteTableRef(previous);
        version = 1;
    }

    @Benchmark
    public RouteTable compileAndSwap() {
        RouteTable next = RouteTableCompiler.compile(config, ++version, ref.current());
        ref.swap(next);
        return next;
    }
}
