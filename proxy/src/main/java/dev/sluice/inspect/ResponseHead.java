package dev.sluice.inspect;

import java.util.List;
import java.util.Optional;

/**
 * A response's status line and headers as they came (names in their case, in order).
 *
 * @param size the bytes it took on the wire, through the blank line
 */
public record ResponseHead(String statusLine, String version, int status, String reason, List<Header> headers, int size) {

    public ResponseHead {
        headers = List.copyOf(headers);
    }

    /** The value of the first header called {@code name}. */
    public Optional<String> header(String name) {
        return Header.first(headers, name);
    }
}
