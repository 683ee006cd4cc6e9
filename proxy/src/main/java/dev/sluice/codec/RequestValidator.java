package dev.sluice.codec;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;

/**
 * ② Refuses a decoded request head that could be read more than one way (RFC 9112), before any of it
 * reaches a backend. The decoder, as {@code FrontendInitializer} sets it up, has already refused what
 * it sees in the raw bytes: bare LF, invalid method, field name and value characters, a list or
 * repeated Content-Length, Content-Length with Transfer-Encoding, Transfer-Encoding in HTTP/1.0. This
 * checks what it lets through: the version, the number of fields, CONNECT, the request target's
 * characters, the transfer codings. See docs/security.md.
 */
public final class RequestValidator {

    /** Why a request is refused, and the status that says so. */
    public record Problem(HttpResponseStatus status, String reason) {}

    /** Header fields a request may have; more gets 431 (HAProxy's {@code tune.http.maxhdr} is 101). */
    public static final int MAX_FIELDS = 100;

    private RequestValidator() {}

    /** What is wrong with {@code request}, or {@code null} when it can be read only one way. */
    public static Problem problem(HttpRequest request) {
        requireNonNull(request, "request");
        HttpVersion version = request.protocolVersion();
        if (version.majorVersion() != 1 || version.minorVersion() > 1) {
            // RFC 9110 §15.6.6; RFC 9112 §2.3: 1.0 and 1.1 are the versions an HTTP/1 server speaks.
            return new Problem(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, version.text() + " is not supported");
        }
        if (request.headers().size() > MAX_FIELDS) {
            return new Problem(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                    "more than " + MAX_FIELDS + " header fields");
        }
        if (request.method().equals(HttpMethod.CONNECT)) {
            return bad("CONNECT is not supported"); // a reverse proxy opens no tunnels
        }
        String target = targetProblem(request.method(), request.uri());
        if (target != null) {
            return bad(target);
        }
        List<String> encodings = request.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
        return encodings.isEmpty() ? null : codingProblem(encodings);
    }

    /**
     * RFC 9112 §3.2: only visible ASCII, and asterisk-form for OPTIONS alone. Which forms the relay
     * serves (origin and http(s) absolute; not authority, which is CONNECT's) it decides itself.
     */
    private static String targetProblem(HttpMethod method, String target) {
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == '#') { // no SP, CTL, non-ASCII or fragment (RFC 3986 §3.5)
                return "invalid character in request target";
            }
        }
        return target.equals("*") && !method.equals(HttpMethod.OPTIONS) ? "asterisk-form is only for OPTIONS" : null;
    }

    /**
     * The codings of all Transfer-Encoding lines together must be exactly {@code chunked}, in any case
     * (RFC 9112 §7). Not chunked last: the length cannot be known (RFC 9112 §6.3), 400. Another coding
     * before chunked: one we do not implement (RFC 9112 §6.1), 501. Empty list elements are refused,
     * though RFC 9110 §5.6.1 would skip them: they are a known trick to make parsers disagree.
     */
    private static Problem codingProblem(List<String> lines) {
        String[] codings = String.join(",", lines).split(",", -1);
        for (String coding : codings) {
            if (coding.isBlank()) {
                return bad("empty element in Transfer-Encoding");
            }
        }
        if (!HttpHeaderValues.CHUNKED.contentEqualsIgnoreCase(codings[codings.length - 1].strip())) {
            return bad("chunked is not the final transfer coding");
        }
        if (codings.length > 1) {
            return new Problem(HttpResponseStatus.NOT_IMPLEMENTED, "only the chunked transfer coding is supported");
        }
        return null;
    }

    private static Problem bad(String reason) {
        return new Problem(HttpResponseStatus.BAD_REQUEST, reason);
    }
}
