package dev.sluice.metrics;

import java.util.List;

/**
 * ⑦ A pool of the current route table as the dashboard shows it, with each backend's health and
 * load.
 */
public record PoolLoad(String name, String balance, List<BackendLoad> backends) {

    public PoolLoad {
        backends = List.copyOf(backends);
    }

    /**
     * One backend of the pool.
     *
     * @param address {@code host:port} as configured
     * @param state {@code up}, {@code down} (active check) or {@code ejected} (outlier detection)
     * @param inFlight requests sent to it and not yet finished
     * @param connections open upstream connections to it, busy or idle
     * @param requests requests it answered through this pool since the proxy started (or since it
     *     last joined the pool)
     */
    public record BackendLoad(String address, String state, int inFlight, int connections, long requests) {}
}
