package dev.sluice.codec;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;

/**
 * ② Removes the headers that describe one connection, not the message (RFC 9110 §7.6.1): those
 * named by {@code Connection}, and Connection, Keep-Alive, Proxy-Connection, TE, Trailer and
 * Upgrade. {@code Transfer-Encoding} stays: the encoder on the next hop reads it to frame the body
 * it re-chunks.
 */
public final class HopByHopHeaders {

    private static final List<CharSequence> ALWAYS = List.of(
            HttpHeaderNames.CONNECTION,
            HttpHeaderNames.KEEP_ALIVE,
            HttpHeaderNames.PROXY_CONNECTION,
            HttpHeaderNames.TE,
            HttpHeaderNames.TRAILER,
            HttpHeaderNames.UPGRADE);

    private HopByHopHeaders() {}

    public static void strip(HttpHeaders headers) {
        for (String connection : headers.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : connection.split(",")) {
                String name = token.strip();
                // Never let a client's Connection header strip the framing of its own message.
                if (!name.isEmpty() && !HttpHeaderNames.TRANSFER_ENCODING.contentEqualsIgnoreCase(name)
                        && !HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)) {
                    headers.remove(name);
                }
            }
        }
        for (CharSequence name : ALWAYS) {
            headers.remove(name);
        }
    }
}
