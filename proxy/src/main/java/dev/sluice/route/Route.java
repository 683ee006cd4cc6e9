package dev.sluice.route;

import static java.util.Objects.requireNonNull;


/**
 * ③ One compiled routing rule: requests whose host matches {@code host} (an exact canonical
 * host, {@code *.suffix}, or {@code null} for any) and whose path starts with {@code pathPrefix}
 * go to {@code pool}. {@code index} is the rule's place in the config: the lowest matching wins.
 * {@code maxBody}: the largest request body it takes, in bytes (413 above); 0: any.
 */
public record Route(int index, String host, String pathPrefix, Pool pool, long maxBody) {

    public Route {
        requireNonNull(pathPrefix, "pathPrefix");
        requireNonNull(pool, "pool");
    }

    /** A route with no cap on request bodies. */
    public Route(int index, String host, String pathPrefix, Pool pool) {
        this(index, host, pathPrefix, pool, 0);
    }

    boolean matchesPath(String path) {
        return path.startsWith(pathPrefix);
    }

    /** What the rule matches, as an operator wrote it: {@code *.apps.example/v1/}, {@code *}{@code /} for any. */
    public String rule() {
        return (host == null ? "*" : host) + pathPrefix;
    }

    /** The rule and where it leads, for logs: {@code *.apps.example/v1/ -> api}. */
    @Override
    public String toString() {
        return rule() + " -> " + pool.name();
    }
}
