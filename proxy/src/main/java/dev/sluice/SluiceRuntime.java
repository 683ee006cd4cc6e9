package dev.sluice;

import static java.util.Objects.requireNonNull;

import dev.sluice.config.Config;
import dev.sluice.config.ConfigException;
import dev.sluice.config.ConfigLoader;
import dev.sluice.control.ChangeRejected;
import dev.sluice.control.ConfigWatcher;
import dev.sluice.control.ControlPlane;
import dev.sluice.route.RouteTableRef;
import dev.sluice.store.StateStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole running Sluice: the control plane with its state, the proxy serving traffic, and — when
 * started from a file — the watcher that reloads it. What {@code sluice serve} runs, and what the
 * tests start.
 */
public final class SluiceRuntime implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SluiceRuntime.class);

    private final ControlPlane control;
    private final SluiceServer server;
    private final ConfigWatcher watcher;

    private SluiceRuntime(ControlPlane control, SluiceServer server, ConfigWatcher watcher) {
        this.control = control;
        this.server = server;
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
        Config config = ConfigLoader.load(configFile);
        ControlPlane control = ControlPlane.open(configFile, config, store(config));
        SluiceServer server = serve(control);
        try {
            return new SluiceRuntime(control, server, ConfigWatcher.watch(configFile, control));
        } catch (IOException e) {
            server.close();
            throw e;
        }
    }

    /** Starts from a config that came from elsewhere (no file to reload or watch). */
    public static SluiceRuntime start(Config config) throws ChangeRejected, IOException {
        requireNonNull(config, "config");
        ControlPlane control = ControlPlane.open(null, config, store(config));
        return new SluiceRuntime(control, serve(control), null);
    }

    private static StateStore store(Config config) {
        Path dir = config.admin().stateDir();
        return dir == null ? StateStore.inMemory() : StateStore.inDirectory(dir);
    }

    private static SluiceServer serve(ControlPlane control) {
        SluiceServer server = SluiceServer.builder()
                .config(control.effective())
                .routes(new RouteTableRef(control.table()))
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

    /** Re-reads the config file (SIGHUP); a refused reload is logged by the control plane. */
    public void reload() {
        try {
            control.reload();
        } catch (ChangeRejected e) {
            log.debug("reload refused: {}", e.getMessage());
        }
    }

    /** Stops accepting, lets requests in flight finish within {@code deadline}, then stops. */
    public boolean drain(Duration deadline) {
        stopWatching();
        return server.drain(deadline);
    }

    @Override
    public void close() {
        stopWatching();
        server.close();
    }

    private void stopWatching() {
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException e) {
                log.debug("closing the config watcher: {}", e.toString());
            }
        }
    }
}
