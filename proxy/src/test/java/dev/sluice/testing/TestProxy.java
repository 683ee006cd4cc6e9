package dev.sluice.testing;

import dev.sluice.SluiceRuntime;
import dev.sluice.accesslog.RecordSink;
import dev.sluice.metrics.ProxyMetrics;
import dev.sluice.config.Config;
import dev.sluice.config.ConfigException;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.TransportChoice;
import dev.sluice.control.ChangeRejected;
import dev.sluice.control.ControlPlane;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real Sluice — control plane and proxy — started from inline YAML, listening on a free
 * loopback port:
 * <pre>{@code
 * try (TestProxy proxy = TestProxy.start("""
 *         listen: 127.0.0.1:0
 *         pools: { web: { backends: [127.0.0.1:%d] } }
 *         routes: [ { pool: web } ]
 *         """.formatted(origin.port()))) { ... }
 * }</pre>
 * {@code -Dsluice.transport=epoll|nio|io_uring} runs the suite on another transport.
 */
public final class TestProxy implements AutoCloseable {

    private final SluiceRuntime runtime;

    private TestProxy(SluiceRuntime runtime) {
        this.runtime = runtime;
    }

    public static TestProxy start(String yaml) {
        return start(yaml, RecordSink.NONE);
    }

    /** A proxy whose records of finished requests also go to {@code records}. */
    public static TestProxy start(String yaml, RecordSink records) {
        try {
            Config config = ConfigLoader.parse(yaml, "test.yaml");
            String transport = System.getProperty("sluice.transport");
            if (transport != null) {
                config = new Config(config.listen(), TransportChoice.fromConfigName(transport), config.threads(),
                        config.shutdownTimeout(), config.upstream(), config.pools(), config.routes(), config.admin(),
                        config.front(), config.accessLog());
            }
            return new TestProxy(SluiceRuntime.start(config, records));
        } catch (ConfigException | ChangeRejected | IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** A proxy started from a config file, as {@code sluice serve} starts: state applied, file watched. */
    public static TestProxy startFile(Path file) {
        try {
            return new TestProxy(SluiceRuntime.start(file));
        } catch (ConfigException | ChangeRejected | IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** A proxy that sends every request to the one backend on {@code backendPort}. */
    public static TestProxy toOne(int backendPort) {
        return start("""
                listen: 127.0.0.1:0
                pools: { only: { backends: [127.0.0.1:%d] } }
                routes: [ { pool: only } ]
                """.formatted(backendPort));
    }

    public int port() {
        return runtime.server().address().getPort();
    }

    /** The metrics its admin listener would show. */
    public ProxyMetrics metrics() {
        return runtime.metrics();
    }

    public ControlPlane control() {
        return runtime.control();
    }

    public boolean drain(Duration deadline) {
        return runtime.drain(deadline);
    }

    @Override
    public void close() {
        runtime.close();
    }
}
