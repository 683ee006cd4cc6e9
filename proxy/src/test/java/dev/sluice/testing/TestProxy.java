package dev.sluice.testing;

import dev.sluice.SluiceServer;
import dev.sluice.config.Config;
import dev.sluice.config.ConfigException;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.RouteTableCompiler;
import dev.sluice.config.TransportChoice;
import dev.sluice.route.RouteTableRef;
import java.time.Duration;

/**
 * A real Sluice started from inline YAML, listening on a free loopback port:
 * <pre>{@code
 * try (TestProxy proxy = TestProxy.start("""
 *         listen: 127.0.0.1:0
 *         pools: { web: { backends: [127.0.0.1:%d] } }
 *         routes: [ { pool: web } ]
 *         """.formatted(origin.port()))) { ... }
 * }</pre>
 */
public final class TestProxy implements AutoCloseable {

    private final SluiceServer server;

    private TestProxy(SluiceServer server) {
        this.server = server;
    }

    public static TestProxy start(String yaml) {
        Config config;
        try {
            config = ConfigLoader.parse(yaml, "test.yaml");
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        SluiceServer.Builder builder = SluiceServer.builder().config(config);
        // -Dsluice.transport=epoll|nio|io_uring runs the suite on another transport
        String transport = System.getProperty("sluice.transport");
        if (transport != null) {
            builder.transport(TransportChoice.fromConfigName(transport));
        }
        SluiceServer server = builder
                .routes(new RouteTableRef(RouteTableCompiler.compile(config, 1)))
                .build()
                .start();
        return new TestProxy(server);
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
        return server.address().getPort();
    }

    public SluiceServer server() {
        return server;
    }

    public boolean drain(Duration deadline) {
        return server.drain(deadline);
    }

    @Override
    public void close() {
        server.close();
    }
}
