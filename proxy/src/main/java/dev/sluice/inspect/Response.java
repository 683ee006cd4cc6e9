package dev.sluice.inspect;

import java.util.List;
import java.util.Optional;

/**
 * A response as read: its head, any interim (1xx) heads before it, and its body before and after
 * content decoding.
 *
 * @param informational {@code 100 Continue}, {@code 103 Early Hints}…, in the order they came
 * @param entity the body with its transfer coding (chunks) removed, still content-coded (gzip…)
 * @param body the body with its {@code Content-Encoding} decoded when it is gzip or deflate;
 *     otherwise the entity
 * @param trailers the trailer fields after a chunked body
 * @param complete false when the connection ended, or the exchange was given up, before the
 *     body's end
 */
public record Response(ResponseHead head, List<ResponseHead> informational, Framing framing, ByteString entity,
        ByteString body, List<Header> trailers, boolean complete) {

    public Response {
        informational = List.copyOf(informational);
        trailers = List.copyOf(trailers);
    }

    public int status() {
        return head.status();
    }

    public Optional<String> header(String name) {
        return head.header(name);
    }
}
