package dev.sluice;

import static java.util.Objects.requireNonNull;

import dev.sluice.accesslog.AccessLog;
import dev.sluice.accesslog.RecordSink;
import dev.sluice.admin.AdminServer;
import dev.sluice.admin.AdminToken;
import dev.sluice.config.AccessLogSettings;
import dev.sluice.config.Config;
import dev.sluice.config.ConfigException;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.HostPort;
import dev.sluice.control.ChangeRejected;
import dev.sluice.control.ConfigWatcher;
import dev.sluice.control.ControlPlane;
import dev.sluice.live.LiveTap;
import dev.sluice.metrics.ProxyMetrics;
import dev.sluice.route.RouteTableRef;
import dev.sluice.store.StateStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole running Sluice: the control plane with its state, the proxy serving traffic, the admin
 * listener when configured, and — when started from a file — the watcher that reloads it. What {@code sluice serve} runs, and what the
 * tests start.
 */
public final class SluiceRuntime implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SluiceRuntime.class);

    private final ControlPlane control;
    private final AccessLog accessLog;
    private final ProxyMetrics metrics;
    private final SluiceServer server;
    private final AdminServer admin;
    private final ConfigWatcher watcher;

    private SluiceRuntime(ControlPlane control, AccessLog accessLog, ProxyMetrics metrics, SluiceServer server,
            AdminServer admin, ConfigWatcher watcher) {
        this.control = control;
        this.accessLog = accessLog;
        this.metrics = metrics;
        this.server = server;
        this.admin = admin;
        this.watcher = watcher;
    }

    /**
     * Starts from a config file, with its saved state applied, and watches the file.
     *
     * @throws ConfigException the file is invalid
     * @throws ChangeRejected the saved state does not fit the file
     * @throws IOException the saved state cannot be read
     * @throws IllegalStateException the listener cannot be opened
     */
    public static SluiceRuntime start(Path configFile) throws ConfigException, ChangeRejected, IOException {
        requireNonNull(configFile, "configFile");
        return start(configFile, ConfigLoader.load(configFile), RecordSink.NONE);
    }

    /** Starts from a config that came from elsewhere (no file to reload or watch). */
    public static SluiceRuntime start(Config config) throws ConfigException, ChangeRejected, IOException {
        return start(config, RecordSink.NONE);
    }

    /**
     * Starts from a config that came from elsewhere, handing the record of every finished request
     * to {@code records} too (for an embedding application).
     */
    public static SluiceRuntime start(Config config, RecordSink records)
            throws ConfigException, ChangeRejected, IOException {
        requireNonNull(config, "config");
        requireNonNull(records, "records");
        return start(null, config, records);
    }

    private static SluiceRuntime start(Path configFile, Config config, RecordSink records)
            throws ConfigException, ChangeRejected, IOException {
        String token = AdminToken.resolve(config.admin(), System.getenv()).orElse(null);
        ControlPlane control = ControlPlane.open(configFile, config, store(config));
        AccessLog accessLog = openAccessLog(config.accessLog());
        ProxyMetrics metrics = ProxyMetrics.builder(control::table).allocator(SluiceServer.BUFFERS).start();
        LiveTap live = new LiveTap();
        metrics.accessLogDropped(accessLog::dropped);
        SluiceServer server;
        try {
            server = serve(control, metrics, metrics.and(accessLog).and(records), live);
        } catch (RuntimeException e) {
            metrics.close();
            accessLog.close();
            throw e;
        }
        metrics.upstreamIdleConnections(server::idleUpstreamConnections);
        AdminServer admin = null;
        ConfigWatcher watcher = null;
        try {
            HostPort adminListen = config.admin().listen();
            admin = adminListen == null ? null : AdminServer.start(adminListen, control, token, metrics, live);
            watcher = configFile == null ? null : ConfigWatcher.watch(configFile, control);
            return new SluiceRuntime(control, accessLog, metrics, server, admin, watcher);
        } catch (IOException | RuntimeException e) {
            if (admin != null) {
                admin.close();
            }
            server.close();
            metrics.close();
            accessLog.close();
            throw e;
        }
    }

    /** The access log the config asks for; one that cannot be opened stops the start. */
    private static AccessLog openAccessLog(AccessLogSettings settings) {
        try {
            return AccessLog.open(settings);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the access log: " + e.getMessage(), e);
        }
    }

    private static StateStore store(Config config) {
        Path dir = config.admin().stateDir();
        return dir == null ? StateStore.inMemory() : StateStore.inDirectory(dir);
    }

    private static SluiceServer serve(ControlPlane control, ProxyMetrics metrics, RecordSink records,
            LiveTap live) {
        SluiceServer server = SluiceServer.builder()
                .config(control.effective())
                .routes(new RouteTableRef(control.table()))
                .records(records)
                .events(metrics)
                .live(live)
                .build()
                .start();
        control.publishTo(server::publish);
        return server;
    }

    public ControlPlane control() {
        return control;
    }

    public SluiceServer server() {
        return server;
    }

    /** What the admin listener's {@code /metrics}, {@code /api/stats} and dashboard show. */
    public ProxyMetrics metrics() {
        return metrics;
    }

    /** The admin listener, or {@code null} when the config has no {@code admin}. */
    public AdminServer admin() {
        return admin;
    }

    /** Re-reads the config file (SIGHUP); a refused reload is logged by the control plane. */
    public void reload() {
        try {
            control.reload();
        } catch (ChangeRejected e) {
            log.debug("reload refused: {}", e.getMessage());
        }
    }

    /** Reopens the access log file (SIGUSR1), after logrotate moved it away. */
    public void reopenLogs() {
        accessLog.reopen();
    }

    /**
     * Stops accepting, lets requests in flight finish within {@code deadline}, then stops; the
     * access log gets the records of the last requests before it closes.
     */
    public boolean drain(Duration deadline) {
        stopChanges();
        boolean clean = server.drain(deadline);
        metrics.close();
        accessLog.close();
        return clean;
    }

    @Override
    public void close() {
        stopChanges();
        server.close();
        metrics.close();
        accessLog.close();
    }

    /** No more changes: the admin listener (a change under way finishes) and the watcher stop. */
    private void stopChanges() {
        if (admin != null) {
            admin.close();
        }
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException e) {
                log.debug("closing the config watcher: {}", e.toString());
            }
        }
    }
}
