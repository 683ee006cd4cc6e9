package dev.sluice.codec;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * ② Tells the backend who asked and how: {@code X-Forwarded-For} gets the client's address
 * appended; {@code X-Forwarded-Proto} and {@code X-Forwarded-Host} are set (a client's own values
 * are replaced: at the edge they are not to be trusted); {@code Forwarded} (RFC 7239) gets an
 * element appended.
 */
public final class ForwardedHeaders {

    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    private static final AsciiString FORWARDED = AsciiString.cached("forwarded");

    private ForwardedHeaders() {}

    /**
     * @param client the client's socket address
     * @param host the Host the client asked for, as sent (null when it sent none)
     * @param proto {@code http} or {@code https}
     */
    public static void add(HttpHeaders headers, InetSocketAddress client, String host, String proto) {
        InetAddress address = client.getAddress();
        String ip = address == null ? client.getHostString() : address.getHostAddress();
        // Several header lines are one comma-separated list (RFC 9110 §5.3): keep them all, in order.
        List<String> previous = headers.getAll(X_FORWARDED_FOR);
        headers.set(X_FORWARDED_FOR, previous.isEmpty() ? ip : String.join(", ", previous) + ", " + ip);
        headers.set(X_FORWARDED_PROTO, proto);
        if (host != null) {
            headers.set(X_FORWARDED_HOST, host);
        } else {
            headers.remove(X_FORWARDED_HOST);
        }
        // RFC 7239 §6: IPv6 node names are quoted and bracketed.
        String node = address instanceof Inet6Address ? "\"[" + ip + "]\"" : ip;
        StringBuilder element = new StringBuilder(48).append("for=").append(node).append(";proto=").append(proto);
        if (host != null) {
            element.append(";host=\"").append(host).append('"');
        }
        List<String> forwarded = headers.getAll(FORWARDED);
        headers.set(FORWARDED, forwarded.isEmpty() ? element : String.join(", ", forwarded) + ", " + element);
    }
}
