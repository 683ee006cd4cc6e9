package dev.sluice.balance;

import static java.util.Objects.requireNonNull;

/**
 * ④ A backend as configured: a host (IP literal or name) and port, and its balancing weight.
 * A value with no behaviour; {@link Backend} adds the live state the balancers read.
 */
public record Endpoint(String host, int port, int weight) {

    public static final int MAX_WEIGHT = 256;

    public Endpoint {
        requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range 1-65535");
        }
        if (weight < 1 || weight > MAX_WEIGHT) {
            throw new IllegalArgumentException("weight " + weight + " is out of range 1-" + MAX_WEIGHT);
        }
    }

    public static Endpoint of(String host, int port) {
        return new Endpoint(host, port, 1);
    }

    /** {@code host:port}, with IPv6 literals in brackets: the backend's name in logs and the API. */
    public String authority() {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]:" + port : host + ":" + port;
    }

    @Override
    public String toString() {
        return authority() + (weight == 1 ? "" : " weight " + weight);
    }
}
