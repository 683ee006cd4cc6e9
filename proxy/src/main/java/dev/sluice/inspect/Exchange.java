package dev.sluice.inspect;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;

/**
 * One request and its response on one connection, with everything seen on the way: what was
 * meant to go out, the exact bytes that went and came, when each step ended, and the response
 * as read. A transfer that follows redirects has one exchange a hop.
 *
 * @param spec the request this hop sent (after a redirect: the next URL, maybe another method)
 * @param request the request as written: line, headers, framed body
 * @param remote the address connected to (the proxy's, through one); null when none was reached
 * @param tls the TLS session; null for plain http or when the handshake did not finish
 * @param sent the bytes the socket took, in order: all of {@link WireRequest#bytes()} unless a
 *     write failed
 * @param received every byte read from the socket, in order, before any decoding
 * @param response the response as read; when the exchange failed, what was read of it, or null
 * @param failure why the exchange ended early; null when it did not
 * @param notes things worth knowing that are not failures: a body not decoded, a request cut short
 */
public record Exchange(RequestSpec spec, WireRequest request, Instant started, InetSocketAddress remote, TlsInfo tls,
        Timings timings, ByteString sent, ByteString received, Response response, Failure failure, List<String> notes) {

    public Exchange {
        notes = List.copyOf(notes);
    }
}
