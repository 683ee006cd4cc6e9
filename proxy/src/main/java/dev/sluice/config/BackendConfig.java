package dev.sluice.config;

import static java.util.Objects.requireNonNull;

/** One backend of a pool: {@code address} and {@code weight} (default 1). */
public record BackendConfig(HostPort address, int weight) {
    public BackendConfig {
        requireNonNull(address, "address");
    }
}
