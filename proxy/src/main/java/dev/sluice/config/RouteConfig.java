package dev.sluice.config;

import static java.util.Objects.requireNonNull;

/**
 * One routing rule. {@code host} is a canonical host, a {@code *.}-wildcard over a canonical
 * suffix, or {@code null} for any host; {@code path} is a prefix of the request path
 * ({@code "/"} matches all). The first rule that matches wins.
 */
public record RouteConfig(String host, String path, String pool) {
    public RouteConfig {
        requireNonNull(path, "path");
        requireNonNull(pool, "pool");
    }
}
