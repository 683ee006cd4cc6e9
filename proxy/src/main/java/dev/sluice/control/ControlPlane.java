package dev.sluice.control;

import static java.util.Objects.requireNonNull;

import dev.sluice.config.BackendConfig;
import dev.sluice.config.Config;
import dev.sluice.config.DynamicState;
import dev.sluice.config.ConfigException;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.HostPort;
import dev.sluice.config.PoolConfig;
import dev.sluice.config.RouteConfig;
import dev.sluice.control.RouteTableCompiler;
import dev.sluice.route.RouteTable;
import dev.sluice.store.StateStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way configuration changes: an API call, a reload of the file, a SIGHUP. Each change is
 * made in four steps, one change at a time, never on an event loop:
 * <ol>
 *   <li>validate it and apply it over the file ({@link ConfigOverlay});</li>
 *   <li>compile the result into a new {@link RouteTable} (resolving any new backend names);</li>
 *   <li>keep the new state durably ({@link StateStore#save}) — only then is a change acknowledged;</li>
 *   <li>publish the table: requests in flight finish on the table they started with.</li>
 * </ol>
 * A change that fails at any step leaves everything as it was.
 */
public final class ControlPlane {

    private static final Logger log = LoggerFactory.getLogger(ControlPlane.class);

    private final ReentrantLock lock = new ReentrantLock();
    private final Path configFile;
    private final StateStore store;
    private final AtomicLong reloadFailures = new AtomicLong();
    private volatile Consumer<RouteTable> publisher = t -> {};
    private volatile Snapshot current;

    /**
     * Everything one change produced, read together: the file as last loaded, the API's state, the
     * effective config and its route table.
     */
    public record Snapshot(Config file, DynamicState state, Config effective, RouteTable table) {}

    private ControlPlane(Path configFile, StateStore store, Snapshot current) {
        this.configFile = configFile;
        this.store = store;
        this.current = current;
    }

    /**
     * The control plane for {@code file} (read from {@code configFile}, or {@code null} when it came
     * from elsewhere and cannot be reloaded) with the state {@code store} recovers applied over it.
     *
     * @throws ChangeRejected when the stored state does not fit the file, or cannot be compiled
     * @throws IOException when the store cannot be read
     */
    public static ControlPlane open(Path configFile, Config file, StateStore store) throws ChangeRejected, IOException {
        requireNonNull(file, "file");
        requireNonNull(store, "store");
        StateStore.Recovered recovered = store.load();
        recovered.notes().forEach(note -> log.warn("state: {}", note));
        DynamicState state = recovered.state();
        Config effective = ConfigOverlay.apply(file, state);
        RouteTable table = compile(effective, state.version() + 1, RouteTable.empty());
        if (state.version() > 0) {
            log.info("state: applied the changes made through the API ({} pool(s){}; state version {})",
                    state.pools().size(), state.routes() == null ? "" : ", routes", state.version());
        } else {
            log.info("state: none saved yet; running the config file as it is");
        }
        return new ControlPlane(configFile, store, new Snapshot(file, state, effective, table));
    }

    /** Where new tables go from now on (the server's swap); call before the first change. */
    public void publishTo(Consumer<RouteTable> publisher) {
        this.publisher = requireNonNull(publisher, "publisher");
    }

    /** The current config, state and table, all from the same change. */
    public Snapshot snapshot() {
        return current;
    }

    public RouteTable table() {
        return current.table();
    }

    /** The file with the API's changes applied: what runs. */
    public Config effective() {
        return current.effective();
    }

    public DynamicState state() {
        return current.state();
    }

    /** Reloads that were refused because the file was invalid. */
    public long reloadFailures() {
        return reloadFailures.get();
    }

    /** Adds {@code address} to {@code pool}, or sets its weight: 201 when added, 200 when updated. */
    public Change putBackend(String pool, String address, Integer weight) throws ChangeRejected {
        lock.lock();
        try {
            PoolConfig p = pool(pool);
            HostPort hp = backendAddress(address);
            if (weight != null && (weight < 1 || weight > 256)) {
                throw new ChangeRejected(400, "weight " + weight + " is out of range 1-256");
            }
            List<BackendConfig> backends = new ArrayList<>(p.backends());
            int i = indexOf(backends, hp);
            BackendConfig next = new BackendConfig(hp, weight != null ? weight : i >= 0 ? backends.get(i).weight() : 1);
            if (i >= 0 && backends.get(i).equals(next)) {
                return new Change(200, current.state().version(), hp + " is already in pool " + p.name() + " with weight "
                        + next.weight());
            }
            if (i >= 0) {
                backends.set(i, next);
            } else {
                backends.add(next);
            }
            long version = apply(current.file(), current.state().withPool(p.name(), backends));
            return new Change(i >= 0 ? 200 : 201, version,
                    (i >= 0 ? "updated " : "added ") + hp + " in pool " + p.name() + " (weight " + next.weight() + ")");
        } finally {
            lock.unlock();
        }
    }

    /** Removes {@code address} from {@code pool}; it drains: requests in flight on it finish. */
    public Change removeBackend(String pool, String address) throws ChangeRejected {
        lock.lock();
        try {
            PoolConfig p = pool(pool);
            HostPort hp = backendAddress(address);
            List<BackendConfig> backends = new ArrayList<>(p.backends());
            int i = indexOf(backends, hp);
            if (i < 0) {
                throw new ChangeRejected(404, hp + " is not in pool " + p.name());
            }
            backends.remove(i);
            long version = apply(current.file(), current.state().withPool(p.name(), backends));
            return new Change(200, version, "removed " + hp + " from pool " + p.name() + "; it drains");
        } finally {
            lock.unlock();
        }
    }

    /** Replaces the route list (validated by the caller's parser against the pools). */
    public Change replaceRoutes(List<RouteConfig> routes) throws ChangeRejected {
        requireNonNull(routes, "routes");
        lock.lock();
        try {
            long version = apply(current.file(), current.state().withRoutes(routes));
            return new Change(200, version, "replaced the routes (" + routes.size() + ")");
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reads the config file again and applies it, with the API's changes over it. An invalid file
     * changes nothing: the error, with its line, is logged, counted and thrown.
     */
    public Change reload() throws ChangeRejected {
        if (configFile == null) {
            throw new ChangeRejected(409, "this proxy was not started from a config file; nothing to reload");
        }
        lock.lock();
        try {
            Config next;
            try {
                next = ConfigLoader.load(configFile);
            } catch (ConfigException e) {
                reloadFailures.incrementAndGet();
                log.error("reload refused, still running the previous config:\n{}", e.getMessage());
                throw new ChangeRejected(400, e.getMessage(), e);
            }
            warnAboutRestartOnlySettings(next);
            try {
                long version = apply(next, current.state());
                return new Change(200, version, "reloaded " + configFile);
            } catch (ChangeRejected e) {
                reloadFailures.incrementAndGet();
                log.error("reload refused, still running the previous config: {}", e.getMessage());
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Steps 1–4 for a new file and state; returns the new state version. Holds the lock. */
    private long apply(Config nextFile, DynamicState nextState) throws ChangeRejected {
        Snapshot now = current;
        Config nextEffective = ConfigOverlay.apply(nextFile, nextState);
        RouteTable nextTable = compile(nextEffective, now.table().version() + 1, now.table());
        if (nextState != now.state()) {
            try {
                store.save(nextState);
            } catch (IOException e) {
                throw new ChangeRejected(500, "the change could not be kept, so it was not made: " + e.getMessage(), e);
            }
        }
        current = new Snapshot(nextFile, nextState, nextEffective, nextTable);
        publisher.accept(nextTable);
        log.info("route table version {} published (state version {})", nextTable.version(), nextState.version());
        return nextState.version();
    }

    private static RouteTable compile(Config config, long version, RouteTable previous) throws ChangeRejected {
        try {
            return RouteTableCompiler.compile(config, version, previous);
        } catch (IllegalArgumentException e) {
            throw new ChangeRejected(400, e.getMessage(), e);
        }
    }

    private PoolConfig pool(String name) throws ChangeRejected {
        String canonical = name.toLowerCase(Locale.ROOT);
        Config effective = current.effective();
        PoolConfig p = effective.pools().get(canonical);
        if (p == null) {
            throw new ChangeRejected(404, "no pool named \"" + canonical + "\" (pools: "
                    + String.join(", ", effective.pools().keySet()) + ")");
        }
        return p;
    }

    /** A backend address as the API takes it: host names canonical (lowercase), like traffic's. */
    private static HostPort backendAddress(String address) throws ChangeRejected {
        try {
            HostPort hp = HostPort.parse(address);
            return new HostPort(hp.host().toLowerCase(Locale.ROOT), hp.port());
        } catch (IllegalArgumentException e) {
            throw new ChangeRejected(400, e.getMessage());
        }
    }

    private static int indexOf(List<BackendConfig> backends, HostPort address) {
        for (int i = 0; i < backends.size(); i++) {
            HostPort b = backends.get(i).address();
            if (b.port() == address.port() && b.host().equalsIgnoreCase(address.host())) {
                return i;
            }
        }
        return -1;
    }

    private void warnAboutRestartOnlySettings(Config next) {
        Config now = current.file();
        if (!next.listen().equals(now.listen()) || next.threads() != now.threads()
                || next.transport() != now.transport() || !next.upstream().equals(now.upstream())
                || !next.admin().equals(now.admin()) || !next.front().equals(now.front())
                || !next.accessLog().equals(now.accessLog())) {
            log.warn("reload: listen, threads, transport, upstream, timeouts, limits, admin and access_log settings"
                    + " take effect at the next restart; pools and routes take effect now");
        }
    }
}
