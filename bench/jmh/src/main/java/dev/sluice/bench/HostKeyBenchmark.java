package dev.sluice.bench;

import dev.sluice.codec.HostKey;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link HostKey#canonicalOrNull} on the three kinds of Host header a proxy sees: one already
 * canonical (the common case, which the method promises not to allocate for), one in mixed case
 * with a port, and an internationalised name that goes through {@link java.net.IDN}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HostKeyBenchmark {

    // Fields, not constants: a constant argument would let the JIT fold the call away.
    String canonical = "api.shop.example.com";
    String mixedCaseWithPort = "API.Shop.Example.com:8443";
    String idn = "bücher.example.de";

    @Benchmark
    public String canonical() {
        return HostKey.canonicalOrNull(canonical);
    }

    @Benchmark
    public String mixedCaseWithPort() {
        return HostKey.canonicalOrNull(mixedCaseWithPort);
    }

    @Benchmark
    public String idn() {
        return HostKey.canonicalOrNull(idn);
    }
}
