package dev.sluice.route;

import static java.util.Objects.requireNonNull;


/**
 * ③ One compiled routing rule: requests whose host matches {@code host} (an exact canonical
 * host, {@code *.suffix}, or {@code null} for any) and whose path starts with {@code pathPrefix}
 * go to {@code pool}. {@code index} is the rule's place in the config: the lowest matching wins.
 */
public record Route(int index, String host, String pathPrefix, Pool pool) {

    public Route {
        requireNonNull(pathPrefix, "pathPrefix");
        requireNonNull(pool, "pool");
    }

    boolean matchesPath(String path) {
        return path.startsWith(pathPrefix);
    }

    /** The rule as an operator wrote it, for logs: {@code *.apps.example/v1/}. */
    @Override
    public String toString() {
        return (host == null ? "*" : host) + pathPrefix + " -> " + pool.name();
    }
}
