package dev.sluice.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sluice.SluiceServer;
import dev.sluice.admin.AdminServer;
import dev.sluice.config.Config;
import dev.sluice.config.ConfigException;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.HostPort;
import dev.sluice.control.ChangeRejected;
import dev.sluice.control.ControlPlane;
import dev.sluice.live.LiveTap;
import dev.sluice.metrics.ProxyMetrics;
import dev.sluice.route.RouteTableRef;
import dev.sluice.store.StateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A real proxy, its control plane and its admin API, started from a config file written from
 * inline YAML (so that reload has a file to read), all on free loopback ports:
 * <pre>{@code
 * try (TestAdmin admin = TestAdmin.start(dir, yaml, "secret")) {
 *     assertThat(admin.get("/api/status").status()).isEqualTo(200);
 * }
 * }</pre>
 */
public final class TestAdmin implements AutoCloseable {

    private static final JsonMapper JSON = new JsonMapper();

    private final Path configFile;
    private final ControlPlane control;
    private final ProxyMetrics metrics;
    private final SluiceServer proxy;
    private final AdminServer admin;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private TestAdmin(Path configFile, ControlPlane control, ProxyMetrics metrics, SluiceServer proxy, AdminServer admin) {
        this.configFile = configFile;
        this.control = control;
        this.metrics = metrics;
        this.proxy = proxy;
        this.admin = admin;
    }

    /** A proxy with one pool, {@code web}, of the one backend on {@code backendPort}, where every request goes. */
    public static TestAdmin toOne(Path dir, int backendPort, String token) {
        return start(dir, """
                listen: 127.0.0.1:0
                pools: { web: { backends: [127.0.0.1:%d] } }
                routes: [ { pool: web } ]
                """.formatted(backendPort), token);
    }

    /** Writes {@code yaml} to {@code dir}/sluice.yaml and starts from it; {@code token} may be {@code null}. */
    public static TestAdmin start(Path dir, String yaml, String token) {
        return start(dir, yaml, token, StateStore.inMemory());
    }

    public static TestAdmin start(Path dir, String yaml, String token, StateStore store) {
        try {
            Path file = Files.writeString(dir.resolve("sluice.yaml"), yaml);
            Config config = ConfigLoader.load(file);
            ControlPlane control = ControlPlane.open(file, config, store);
            // The admin port was chosen free before the test; bind it before the proxy's port 0,
            // which the system could otherwise hand the same number.
            HostPort listen = config.admin().listen() != null ? config.admin().listen() : new HostPort("127.0.0.1", 0);
            ProxyMetrics metrics = ProxyMetrics.builder(control::table).allocator(SluiceServer.BUFFERS).start();
            LiveTap live = new LiveTap();
            AdminServer admin = AdminServer.start(listen, control, token, metrics, live);
            SluiceServer proxy = SluiceServer.builder()
                    .config(config)
                    .routes(new RouteTableRef(control.table()))
                    .records(metrics)
                    .events(metrics)
                    .live(live)
                    .build()
                    .start();
            control.publishTo(proxy::publish);
            return new TestAdmin(file, control, metrics, proxy, admin);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ConfigException | ChangeRejected e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    public Path configFile() {
        return configFile;
    }

    public ControlPlane control() {
        return control;
    }

    /** What the admin listener shows; tests may feed it as the data path does. */
    public ProxyMetrics metrics() {
        return metrics;
    }

    public int proxyPort() {
        return proxy.address().getPort();
    }

    public int adminPort() {
        return admin.address().getPort();
    }

    /** {@code host:port} of the admin API, as {@code sluice ctl --admin} takes it. */
    public String adminAddress() {
        return "127.0.0.1:" + adminPort();
    }

    public Response get(String path) {
        return send("GET", path, null, null);
    }

    /** {@code Authorization: Bearer token}, or no header for {@code null}. */
    public static String bearer(String token) {
        return token == null ? null : "Bearer " + token;
    }

    /**
     * Sends {@code method path} with {@code body} (none for {@code null}) and the given
     * {@code Authorization} header value (none for {@code null}).
     */
    public Response send(String method, String path, String body, String authorization) {
        return sendAsync(method, path, body == null ? null : body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                authorization).join();
    }

    public CompletableFuture<Response> sendAsync(String method, String path, byte[] body, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + adminAddress() + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> new Response(r.statusCode(), r.headers(), r.body()));
    }

    /** An admin API answer; {@link #json()} parses its body. */
    public record Response(int status, HttpHeaders headers, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        /** The {@code error} of an error answer. */
        public String error() {
            return json().path("error").asText();
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    @Override
    public void close() {
        admin.close();
        proxy.close();
        metrics.close();
        http.close();
    }
}
