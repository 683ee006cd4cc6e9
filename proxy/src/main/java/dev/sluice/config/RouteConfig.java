package dev.sluice.config;

import static java.util.Objects.requireNonNull;

/**
 * One routing rule. {@code host} is a canonical host, a {@code *.}-wildcard over a canonical
 * suffix, or {@code null} for any host; {@code path} is a prefix of the request path
 * ({@code "/"} matches all). The first rule that matches wins. {@code maxBody} caps the request
 * body in bytes (413 above it); 0: no cap.
 */
public record RouteConfig(String host, String path, String pool, long maxBody) {
    public RouteConfig {
        requireNonNull(path, "path");
        requireNonNull(pool, "pool");
        if (maxBody < 0) {
            throw new IllegalArgumentException("maxBody " + maxBody + " is negative");
        }
    }

    /** A route with no cap on request bodies. */
    public RouteConfig(String host, String path, String pool) {
        this(host, path, pool, 0);
    }
}
