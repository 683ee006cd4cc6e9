package dev.sluice.relay;

import dev.sluice.balance.Backend;
import dev.sluice.health.PoolGuard;
import dev.sluice.live.LiveTap;
import dev.sluice.route.Route;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * ⑥ The state of one request on its way through the proxy: where it goes, which backend and
 * upstream connection serve it (another one after a retry), how far each direction has got, and
 * its timers. Lives on one event loop; the request side is driven by {@link FrontendHandler}, the
 * response side by {@link BackendHandler}.
 */
final class Exchange {

    final HttpRequest request;
    final Route route;          // null when answered by the proxy itself
    final String hostKey;       // the balancing key: the canonical host, or ""
    final boolean clientHttp10;
    final boolean headRequest;
    /** Idempotent and without a body: it may be sent again after it was sent (RFC 9110 §9.2.2). */
    final boolean resendable;

    /** The backend of the current attempt; null before the first and when the proxy answers. */
    Backend backend;
    /** Keep the client connection open after this response. */
    boolean keepClient;
    /** The upstream connection serving this exchange, once connected. */
    Channel upstream;
    /** The upstream connection may serve another request after this one. */
    boolean reuseUpstream;
    /** The rest of the request is read and dropped: the response does not depend on it. */
    boolean discarding;
    boolean requestDone;
    boolean responseStarted;
    /** A 1xx went to the client: a retry could send it a second set. */
    boolean interimSent;
    boolean responseDone;
    /** Request body bytes taken from the client so far, against the route's {@code max_body}. */
    long bodyBytes;
    /** When the response was last read from, for the idle timeout. */
    long lastReadNanos;
    /** The waits on the backend now running, and when each ends ({@link ExchangeTimers}). */
    boolean responseDue;
    long responseDueNanos;
    boolean totalDue;
    long totalDueNanos;
    /** Between reads of the response body: idle since {@link #lastReadNanos}. */
    boolean idleWatched;

    // What the access record says of it.
    /** When the first byte of the request arrived. */
    long arrivedNanos;
    /** The client connection's decoded and written byte counts when the exchange began. */
    long inStart;
    long outStart;
    /** The decoded byte count at the request's end; -1 until it was read. */
    long inEnd = -1;
    /** The status sent to the client; 0 while none was. */
    int status;
    /** How it ended: {@code ok}, or a cause word. */
    String termination = "ok";
    String requestId;
    /** When the current attempt began to connect, and how long connecting took (-1: a kept connection). */
    long connectStartNanos;
    long connectNanos = -1;
    /** From arrival to the first response byte from the backend; -1 until one came. */
    long firstByteNanos = -1;
    /** Wire bytes to and from backends, all attempts. */
    long upstreamOut;
    long upstreamIn;
    boolean recorded;
    /** The request's header fields as they came, captured while someone watches live traffic. */
    List<LiveTap.Header> headersSeen;

    private List<Backend> failed;
    private int retries;
    private boolean admitted;
    private boolean closed;

    Exchange(HttpRequest request, Route route, String hostKey, boolean clientHttp10, boolean keepClient) {
        this.request = request;
        this.route = route;
        this.hostKey = hostKey;
        this.clientHttp10 = clientHttp10;
        this.headRequest = HttpMethod.HEAD.equals(request.method());
        this.resendable = idempotent(request.method()) && !request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)
                && zero(request.headers().get(HttpHeaderNames.CONTENT_LENGTH));
        this.keepClient = keepClient;
    }

    PoolGuard guard() {
        return route.pool().guard();
    }

    /** Counts this request against its pool's {@code max_requests}; false when the pool is full. */
    boolean admit() {
        admitted = guard().tryAdmit();
        return admitted;
    }

    /** The next attempt goes to {@code next}. */
    void use(Backend next) {
        backend = next;
        next.begin();
    }

    /** The current attempt's backend failed: it takes no more of this request's load. */
    void dropBackend() {
        if (backend != null) {
            if (failed == null) {
                failed = new ArrayList<>(2);
            }
            failed.add(backend);
            backend.end();
            backend = null;
        }
    }

    boolean failedOn(Backend b) {
        return failed != null && failed.contains(b);
    }

    /** Takes a retry if this request has one left and its pool's budget allows it. */
    boolean tryRetry() {
        PoolGuard guard = guard();
        if (retries >= guard.retryAttempts() || !guard.retryBudget().tryAcquire(guard.inFlight())) {
            return false;
        }
        retries++;
        return true;
    }

    /** Ends the exchange's claims: its backend's load, its place in the pool, its retries, its timers. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        cancelTimers();
        if (backend != null) {
            backend.end();
        }
        if (admitted) {
            guard().release();
        }
        for (int i = 0; i < retries; i++) {
            guard().retryBudget().release();
        }
    }

    void cancelTimers() {
        responseDue = false;
        totalDue = false;
        idleWatched = false;
    }

    boolean done() {
        return requestDone && responseDone;
    }

    /**
     * Whether a {@code Content-Length} value, if any, says no body. Not parsed as a number: a
     * request being refused may carry one that no number type holds.
     */
    private static boolean zero(String contentLength) {
        return contentLength == null || contentLength.chars().allMatch(c -> c == '0');
    }

    private static boolean idempotent(HttpMethod m) {
        return m.equals(HttpMethod.GET) || m.equals(HttpMethod.HEAD) || m.equals(HttpMethod.OPTIONS)
                || m.equals(HttpMethod.PUT) || m.equals(HttpMethod.DELETE) || m.equals(HttpMethod.TRACE);
    }
}
