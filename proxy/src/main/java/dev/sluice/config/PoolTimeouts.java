package dev.sluice.config;

import java.time.Duration;

/**
 * How long each wait on a backend may take. {@link Duration#ZERO} turns a wait's limit off.
 *
 * @param connect opening a connection; {@code null}: {@code upstream.connect_timeout}
 * @param response from the last byte of the request to the response head (504 when it passes)
 * @param idle between two reads of the response body (the client connection closes when it passes)
 * @param total the whole exchange, from the request head to the last response byte
 */
public record PoolTimeouts(Duration connect, Duration response, Duration idle, Duration total) {

    public static final PoolTimeouts DEFAULTS =
            new PoolTimeouts(null, Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ZERO);
}
