package dev.sluice.inspect;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * An HTTP proxy to send requests through ({@code -x}): requests go to it with the whole URL as
 * their target (RFC 9112 §3.2.2).
 *
 * @param credentials {@code user:password} for {@code Proxy-Authorization: Basic}, or null
 */
public record HttpProxy(String host, int port, String credentials) {

    /** curl's default proxy port. */
    public static final int DEFAULT_PORT = 1080;

    public HttpProxy {
        requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("proxy port must be 1-65535: " + port);
        }
    }

    /** Reads {@code -x [http://][user:password@]host[:port]}. */
    public static HttpProxy parse(String text) throws CurlException {
        String t = text.strip();
        int sep = t.indexOf("://");
        if (sep >= 0) {
            String scheme = t.substring(0, sep).toLowerCase(Locale.ROOT);
            if (!scheme.equals("http")) {
                throw CurlException.unsupportedProtocol("proxy " + text + ": only http:// proxies are supported, not "
                        + scheme + "://");
            }
            t = t.substring(sep + 3);
        }
        // The URL reader does the host, port and user parts; a proxy given without a port gets curl's 1080.
        String hostPort = t.substring(t.lastIndexOf('@') + 1);
        boolean hasPort = hostPort.startsWith("[") ? hostPort.contains("]:") : hostPort.contains(":");
        Url url = Url.parse("http://" + t);
        if (!url.path().equals("/") || url.query() != null) {
            throw CurlException.badUrl("proxy " + text + ": give host[:port], without a path");
        }
        return new HttpProxy(url.host(), hasPort ? url.effectivePort() : DEFAULT_PORT, Url.userInfo("http://" + t));
    }

    /** {@code host:port}, an IPv6 host in brackets. */
    public String authority() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    public HttpProxy withCredentials(String userPassword) {
        return new HttpProxy(host, port, userPassword);
    }

    @Override
    public String toString() {
        return "http://" + authority();
    }
}
