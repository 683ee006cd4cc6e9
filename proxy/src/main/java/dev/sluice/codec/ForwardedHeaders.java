package dev.sluice.codec;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

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
     * What a connection's requests say of their client, made once per connection: its address as
     * text, the scheme it spoke, and the start of its {@code Forwarded} element.
     */
    public record Client(String ip, String proto, String forwardedFor) {

        /**
         * @param address the client's socket address
         * @param proto {@code http} or {@code https}
         */
        public static Client of(InetSocketAddress address, String proto) {
            InetAddress ip = address.getAddress();
            String text = ip == null ? address.getHostString() : ip.getHostAddress();
            // RFC 7239 §6: IPv6 node names are quoted and bracketed.
            String node = ip instanceof Inet6Address ? "\"[" + text + "]\"" : text;
            return new Client(text, proto, "for=" + node + ";proto=" + proto);
        }
    }

    /**
     * @param client the connection's client
     * @param host the Host the client asked for, as sent (null when it sent none)
     */
    public static void add(HttpHeaders headers, Client client, String host) {
        String ip = client.ip();
        // Several header lines are one comma-separated list (RFC 9110 §5.3): keep them all, in order.
        headers.set(X_FORWARDED_FOR, joined(headers, X_FORWARDED_FOR, ip));
        headers.set(X_FORWARDED_PROTO, client.proto());
        if (host != null) {
            headers.set(X_FORWARDED_HOST, host);
        } else {
            headers.remove(X_FORWARDED_HOST);
        }
        String element = host == null ? client.forwardedFor() : client.forwardedFor() + ";host=\"" + host + '"';
        headers.set(FORWARDED, joined(headers, FORWARDED, element));
    }

    /** {@code value} after the values {@code headers} already has for {@code name}, if any. */
    private static String joined(HttpHeaders headers, AsciiString name, String value) {
        if (!headers.contains(name)) { // the usual case: no list to build
            return value;
        }
        return String.join(", ", headers.getAll(name)) + ", " + value;
    }
}
