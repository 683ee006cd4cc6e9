package dev.sluice.inspect;

/** How a response's body was delimited on the wire (RFC 9112 §6.3). */
public enum Framing {
    /** No body: a HEAD request, or a 1xx, 204 or 304 response. */
    NONE,
    CONTENT_LENGTH,
    CHUNKED,
    /** The body ended when the server closed the connection. */
    CLOSE
}
