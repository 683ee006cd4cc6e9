package dev.sluice.codec;

import java.net.IDN;
import java.util.Locale;

/**
 * ③ The one canonical routing key for a host name. Every place that routes by host — the
 * Host header, an absolute-form request target, the config, the admin API — goes through
 * {@link #canonical}: lowercase, no port, no trailing dot, IDN to punycode. Two spellings of
 * the same host can therefore never reach different routes.
 */
public final class HostKey {

    /** RFC 1035 §2.3.4: a name is at most 253 characters in its text form. */
    public static final int MAX_LENGTH = 253;

    private HostKey() {}

    /**
     * The canonical key of {@code host} (a Host header value, {@code host[:port]}), or
     * {@code null} when it is not a valid host. Allocation-free when the input is already
     * canonical, which is the common case on the request path.
     */
    public static String canonicalOrNull(String host) {
        if (host == null || host.isEmpty()) {
            return null;
        }
        if (host.charAt(0) == '[') {
            return ipv6Literal(host);
        }
        int end = host.length();
        int colon = host.lastIndexOf(':');
        if (colon >= 0) {
            if (!validPort(host, colon + 1)) {
                return null;
            }
            end = colon;
        }
        if (end > 0 && host.charAt(end - 1) == '.') {
            end--; // the root label: "example.com." is "example.com"
        }
        if (end == 0 || host.charAt(end - 1) == '.') {
            return null;
        }
        boolean lower = true;
        for (int i = 0; i < end; i++) {
            char c = host.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                lower = false;
            } else if (c >= 0x80) {
                return idn(host.substring(0, end));
            } else if (!nameChar(c) || (c == '.' && (i == 0 || host.charAt(i - 1) == '.'))) {
                return null; // a character no host name has, or an empty label
            }
        }
        if (end > MAX_LENGTH) {
            return null;
        }
        String name = end == host.length() ? host : host.substring(0, end);
        return lower ? name : name.toLowerCase(Locale.ROOT);
    }

    /** Like {@link #canonicalOrNull} but says what is wrong; for config and API input. */
    public static String canonical(String host) {
        String key = canonicalOrNull(host);
        if (key == null) {
            throw new IllegalArgumentException("\"" + host + "\" is not a valid host name"
                    + " (letters, digits, '-', '_' and '.' labels, an IP address, or [IPv6])");
        }
        return key;
    }

    private static boolean nameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_'
                || (c >= 'A' && c <= 'Z');
    }

    private static boolean validPort(String s, int from) {
        int digits = s.length() - from;
        if (digits > 5) {
            return false;
        }
        int port = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            port = port * 10 + (c - '0');
        }
        return port <= 65535; // "host:" with an empty port is allowed (RFC 3986 §3.2.3)
    }

    private static String ipv6Literal(String host) {
        int close = host.indexOf(']');
        if (close < 3) {
            return null;
        }
        if (close + 1 < host.length() && (host.charAt(close + 1) != ':' || !validPort(host, close + 2))) {
            return null;
        }
        for (int i = 1; i < close; i++) {
            char c = host.charAt(i);
            if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                return null;
            }
        }
        return host.substring(0, close + 1).toLowerCase(Locale.ROOT);
    }

    private static String idn(String name) {
        try {
            String ascii = IDN.toASCII(name, IDN.USE_STD3_ASCII_RULES);
            // IDN gives ASCII; check it once more for what STD3 allows but routing does not.
            return ascii.isEmpty() || ascii.chars().anyMatch(c -> c >= 0x80) ? null : canonicalOrNull(ascii);
        } catch (IllegalArgumentException e) {
            return null; // not a valid internationalised name
        }
    }
}
