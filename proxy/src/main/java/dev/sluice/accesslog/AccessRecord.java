package dev.sluice.accesslog;

import static java.util.Objects.requireNonNull;

/**
 * ⑦ What happened to one request — or to a connection that closed before a whole request came —
 * as the access log writes it and the metrics count it. Made once, on the event loop, when the
 * exchange ends; holds no reference into the data path.
 *
 * <p>Byte counts are wire bytes: {@code bytesIn} is what the client sent for this request (head
 * and body, as framed on the wire); {@code bytesOut} is what was written to the client's socket
 * for it (head with every header the proxy added, and body, as framed), counted when the kernel
 * took them, so an aborted transfer reports what was really sent. Durations are microseconds;
 * {@code -1} where the step did not happen (no new upstream connection, no upstream byte).
 * Text fields the request did not have are {@code "-"}.
 *
 * @param startMillis when the request's first byte arrived, epoch milliseconds
 * @param clientIp the client's address as the socket sees it
 * @param clientPort the client's port
 * @param method the request method, {@code "-"} for a connection without a request
 * @param host the canonical host ({@code HostKey}), {@code "-"} when there was none
 * @param target the request target as sent (path and query)
 * @param protocol {@code HTTP/1.1} or {@code HTTP/1.0}
 * @param status the status sent to the client; 0 when none was
 * @param bytesIn wire bytes received from the client for this request
 * @param bytesOut wire bytes the kernel accepted for the client for this request
 * @param upstreamBytesOut wire bytes written to the backend (all attempts)
 * @param upstreamBytesIn wire bytes read from the backend (all attempts)
 * @param route the route that matched, as configured ({@code api.example.com/v1/}), or {@code "-"}
 * @param pool the pool's name, or {@code "-"}
 * @param backend the backend that answered ({@code host:port}), or {@code "-"}
 * @param totalMicros from the first request byte to the last response byte written (or the end)
 * @param connectMicros time to open the upstream connection; -1 when a kept one was reused or none
 * @param firstByteMicros from the request's start to the first response byte from the backend; -1 when none came
 * @param termination {@code ok}, or the stable cause word of how it ended ({@code client_abort},
 *     {@code backend_abort}, {@code client_header_timeout}, {@code upstream_timeout}, …)
 * @param requestId the {@code X-Request-Id} sent upstream (the client's, or one the proxy made)
 * @param referer the {@code Referer} header, or {@code "-"}
 * @param userAgent the {@code User-Agent} header, or {@code "-"}
 */
public record AccessRecord(
        long startMillis,
        String clientIp,
        int clientPort,
        String method,
        String host,
        String target,
        String protocol,
        int status,
        long bytesIn,
        long bytesOut,
        long upstreamBytesOut,
        long upstreamBytesIn,
        String route,
        String pool,
        String backend,
        long totalMicros,
        long connectMicros,
        long firstByteMicros,
        String termination,
        String requestId,
        String referer,
        String userAgent) {

    /** What text fields hold when the request did not have them. */
    public static final String NONE = "-";

    public AccessRecord {
        requireNonNull(clientIp, "clientIp");
        requireNonNull(method, "method");
        requireNonNull(host, "host");
        requireNonNull(target, "target");
        requireNonNull(protocol, "protocol");
        requireNonNull(route, "route");
        requireNonNull(pool, "pool");
        requireNonNull(backend, "backend");
        requireNonNull(termination, "termination");
        requireNonNull(requestId, "requestId");
        requireNonNull(referer, "referer");
        requireNonNull(userAgent, "userAgent");
    }

    /** The status class as metrics label it: {@code 2xx} … {@code 5xx}, or {@code none}. */
    public String statusClass() {
        return status >= 100 && status < 600 ? (status / 100) + "xx" : "none";
    }
}
