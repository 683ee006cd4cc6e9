package dev.sluice.config;

import static java.util.Objects.requireNonNull;

/** A {@code host:port} pair from config: a listen address or a backend address. */
public record HostPort(String host, int port) {

    public HostPort {
        requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range 0-65535");
        }
    }

    /**
     * Parses {@code host:port} or {@code [ipv6]:port} of a backend; the port is required.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static HostPort parse(String text) {
        return parse(text, 1);
    }

    /**
     * Parses {@code host:port} or {@code [ipv6]:port} of a listener, where port 0 means any free port.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static HostPort parseListen(String text) {
        return parse(text, 0);
    }

    private static HostPort parse(String text, int minPort) {
        requireNonNull(text, "text");
        String s = text.strip();
        String host;
        String port;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("\"" + text + "\" is not an address: expected [ipv6]:port");
            }
            host = s.substring(1, close);
            port = s.substring(close + 2);
        } else {
            int colon = s.lastIndexOf(':');
            if (colon <= 0 || s.indexOf(':') != colon) {
                throw new IllegalArgumentException("\"" + text + "\" is not an address: expected host:port");
            }
            host = s.substring(0, colon);
            port = s.substring(colon + 1);
        }
        if (host.isEmpty() || !host.chars().allMatch(c -> c > ' ' && c < 0x7f && c != '/' && c != '@')) {
            throw new IllegalArgumentException("\"" + text + "\" is not an address: bad host \"" + host + "\"");
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not an address: port \"" + port + "\" is not a number");
        }
        if (p < minPort || p > 65535) {
            throw new IllegalArgumentException(
                    "\"" + text + "\" is not an address: port " + p + " is out of range " + minPort + "-65535");
        }
        return new HostPort(host, p);
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
