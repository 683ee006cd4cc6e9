package dev.sluice.relay;

import static dev.sluice.accesslog.AccessRecord.NONE;

import dev.sluice.accesslog.AccessRecord;
import dev.sluice.balance.Backend;
import dev.sluice.codec.ForwardedHeaders;
import dev.sluice.codec.HopByHopHeaders;
import dev.sluice.health.PoolGuard;
import dev.sluice.live.LiveTap;
import dev.sluice.metrics.ConnectionTracker;
import dev.sluice.codec.HeaderText;
import dev.sluice.codec.HostKey;
import dev.sluice.codec.RequestValidator;
import dev.sluice.route.Route;
import dev.sluice.upstream.UpstreamPool;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ⑥ The client side of the relay: turns each request into an {@link Exchange}, routes it, sends it
 * upstream and streams its body; {@link BackendHandler} streams the response back.
 *
 * <h2>Flow control</h2>
 * <pre>
 *   client ──read──▶ [pending] ──write──▶ upstream        upstream ──read──▶ client
 *      ▲ autoRead off when pending is full                    ▲ autoRead off while the
 *      │ or the upstream is not writable                       │ client is not writable
 * </pre>
 * <ol>
 *   <li>Requests are handled one at a time, in order (RFC 9112 §9.3.2: pipelined responses go back
 *       in request order). Messages of later pipelined requests wait in {@code pending}.</li>
 *   <li>While an upstream connection is being opened, the request body waits in {@code pending}.</li>
 *   <li>{@code pending} is bounded (bytes and messages); when it is full, or the upstream cannot take
 *       more, reading from the client stops ({@code autoRead=false}) until the upstream drains
 *       ({@code channelWritabilityChanged}). So buffering per connection pair is bounded by the
 *       write-buffer water marks plus one read.</li>
 *   <li>Writes are flushed once per read batch ({@code channelReadComplete}) or at the end of an
 *       asynchronous event (connect done), not once per message.</li>
 * </ol>
 */
final class FrontendHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(FrontendHandler.class);

    private static final int MAX_PENDING_BYTES = 64 * 1024;
    private static final int MAX_PENDING_MESSAGES = 128;
    /** What a queued request head is counted as; heads are bounded by the decoder's limits anyway. */
    private static final int HEAD_WEIGHT = 512;
    private static final AsciiString X_REQUEST_ID = AsciiString.cached("x-request-id");

    private final Relay relay;
    private final ArrayDeque<HttpObject> pending = new ArrayDeque<>(4); // grows with pipelining only
    private int pendingBytes;
    private ChannelHandlerContext ctx;
    private UpstreamPool pool;
    private ClientWire wire;
    private ClientCodec codec;
    /** The decoded byte count at the end of the last request taken from {@code pending}. */
    private long readEnd;
    /** Where the request now being taken began. */
    private long headStart;
    /** The written byte count when the last exchange ended: where the next response begins. */
    private long writeEnd;
    private int requests;
    private long openedNanos;
    private ConnectionTracker tracker = ConnectionTracker.NONE;
    /** The client's address as text, and what the forwarding header fields say of it. */
    private ForwardedHeaders.Client client;
    /** For a connection that ends without a request: the status it was sent, and why it ended. */
    private int noRequestStatus;
    private String noRequestEnd;
    private ClientTimer timer;
    private InetSocketAddress clientAddress;
    private Exchange current;
    /** The upstream channel written to since its last flush. */
    private Channel dirtyUpstream;
    private boolean clientDirty;
    private boolean closing;
    private boolean draining;

    FrontendHandler(Relay relay) {
        this.relay = relay;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.pool = relay.pools().forLoop(ctx.channel().eventLoop());
        this.wire = ctx.pipeline().get(ClientWire.class);
        this.codec = ctx.pipeline().get(ClientCodec.class);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        clientAddress = (InetSocketAddress) ctx.channel().remoteAddress();
        // Accepted just as the server began to drain, too late for the drain signal: drain now.
        draining = relay.draining().get();
        client = ForwardedHeaders.Client.of(clientAddress, "http");
        openedNanos = System.nanoTime();
        tracker = relay.events().connectionOpened();
        timer = new ClientTimer(relay.clientTimeouts(), wire, this);
        timer.start();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing || !(msg instanceof HttpObject obj)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        pending.addLast(obj);
        pendingBytes += weight(obj);
        process();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        timer.writabilityChanged(ctx.channel().isWritable());
        // 3. The client drained what we wrote: let the upstream send more of the response.
        Exchange ex = current;
        if (ex != null && ex.upstream != null && ctx.channel().isWritable()) {
            ex.upstream.config().setAutoRead(true);
        }
        updateReading();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == Relay.DRAIN) {
            draining = true;
            if (current == null) {
                closeClient();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        releasePending();
        Exchange ex = current;
        current = null;
        if (ex != null) {
            if (!ex.done() && ex.responseStarted && ex.termination.equals("ok")) {
                log.debug("client_abort client={} route={}", clientAddress, ex.route);
            }
            abandonUpstream(ex);
            ex.close();
            recordEnded(ex);
        } else if (clientAddress != null) { // null: refused at the gate, never active
            recordNoRequest();
        }
        tracker.closed();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) { // a reset or a broken pipe: the client went away
            log.debug("client_error client={} {}", clientAddress, cause.toString());
        } else {
            log.error("internal_error client={}: the connection is closed", clientAddress, cause);
        }
        ctx.close();
    }

    // ---- request side ---------------------------------------------------------------------

    /** Moves pending messages forward as far as the current exchange allows. */
    void process() {
        HttpObject m;
        while (!closing && (m = pending.peekFirst()) != null) {
            Exchange ex = current;
            if (ex == null) {
                headStart = readEnd;
                take();
                if (m instanceof HttpRequest request) {
                    begin(request);
                } else {
                    ReferenceCountUtil.release(m); // the rest of a request already answered and closed
                }
                continue;
            }
            if (ex.requestDone || (!ex.discarding && ex.upstream == null)) {
                break; // 1./2. the next request waits its turn; a body waits for its connection
            }
            take();
            HttpContent content = (HttpContent) m;
            if (content.decoderResult().isFailure()) {
                content.release();
                badRequestBody(ex, content.decoderResult());
                return;
            }
            boolean last = content instanceof LastHttpContent;
            ex.bodyBytes += content.content().readableBytes();
            if (!ex.discarding && ex.route != null && ex.route.maxBody() > 0 && ex.bodyBytes > ex.route.maxBody()) {
                content.release();
                bodyTooLarge(ex); // a chunked body that grew past the route's limit
                return;
            }
            if (ex.discarding) {
                content.release();
            } else if (last && !((LastHttpContent) content).trailingHeaders().isEmpty()) {
                // Request trailers are dropped, as nginx and Envoy do: many backends cannot read them.
                writeUpstream(ex.upstream, new DefaultLastHttpContent(content.content()));
            } else {
                writeUpstream(ex.upstream, content);
            }
            if (last) {
                ex.requestDone = true;
                ex.inEnd = readEnd;
                if (ex.responseDone) {
                    finish(ex);
                } else if (!ex.discarding) {
                    requestSent(ex);
                }
            }
        }
        updateReading();
    }

    private void begin(HttpRequest request) {
        wire.headComplete();
        DecoderResult result = request.decoderResult();
        boolean http10 = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
        if (result.isFailure()) {
            Throwable cause = result.cause();
            HttpResponseStatus status = cause instanceof TooLongHttpLineException
                    ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                    : cause instanceof TooLongHttpHeaderException
                            ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                            : HttpResponseStatus.BAD_REQUEST;
            String word = cause instanceof TooLongFrameException ? "client_head_too_large" : "client_bad_request";
            rejectAndClose(request, status, word, "malformed request: " + cause.getMessage());
            return;
        }
        RequestValidator.Problem problem = RequestValidator.problem(request);
        if (problem != null) {
            String word = problem.status().equals(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE)
                    ? "client_head_too_large" : "client_bad_request";
            rejectAndClose(request, problem.status(), word, problem.reason());
            return;
        }
        if (relay.guard().shedding()) {
            // Shed before anything else is spent on it; the connection closes to free what it holds.
            relay.guard().shed(client.ip());
            relay.events().rejected("overloaded");
            Exchange ex = new Exchange(request, null, "", http10, false);
            setCurrent(ex);
            ex.termination = "overloaded";
            answer(ex, HttpResponseStatus.SERVICE_UNAVAILABLE, "the proxy is overloaded; retry shortly",
                    new DefaultHttpHeaders().setInt(HttpHeaderNames.RETRY_AFTER, 1));
            return;
        }
        InetAddress ip = clientAddress.getAddress();
        if (!relay.limiter().tryAcquire(ip)) {
            // Answered here, in turn, so pipelined responses keep their order.
            relay.events().rejected("client_rate_limited");
            long wait = relay.limiter().retryAfterSeconds(ip);
            Exchange ex = new Exchange(request, null, "", http10, HttpUtil.isKeepAlive(request) && !draining);
            setCurrent(ex);
            respondLocally(ex, HttpResponseStatus.TOO_MANY_REQUESTS, "client_rate_limited",
                    "too many requests from " + ip.getHostAddress() + "; retry after " + wait + " s", null,
                    new DefaultHttpHeaders().setInt(HttpHeaderNames.RETRY_AFTER, (int) wait));
            return;
        }
        HttpHeaders headers = request.headers();
        if (headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            // Valid only as one "chunked" in any case (RFC 9112 §7): sent on in the spelling all parse.
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        String target = request.uri();
        String authority = null;
        String path = target;
        if (!target.isEmpty() && target.charAt(0) != '/') {
            int scheme = schemeLength(target);
            if (scheme > 0) {
                // RFC 9112 §3.2.2: with an absolute-form target the Host header is ignored.
                int slash = target.indexOf('/', scheme);
                authority = slash < 0 ? target.substring(scheme) : target.substring(scheme, slash);
                path = slash < 0 ? "/" : target.substring(slash);
            } else if (!target.equals("*")) {
                rejectAndClose(request, HttpResponseStatus.BAD_REQUEST, "client_bad_target",
                        "invalid request target");
                return;
            }
        }
        int hostCount = headers.getAll(HttpHeaderNames.HOST).size();
        String host = authority != null ? authority : headers.get(HttpHeaderNames.HOST);
        if (hostCount > 1 || (hostCount == 0 && authority == null && !http10)) {
            rejectAndClose(request, HttpResponseStatus.BAD_REQUEST, "client_bad_host",
                    hostCount > 1 ? "more than one Host header" : "missing Host header");
            return;
        }
        String hostKey = host == null ? null : HostKey.canonicalOrNull(host);
        if (host != null && hostKey == null) {
            rejectAndClose(request, HttpResponseStatus.BAD_REQUEST, "client_bad_host", "invalid Host");
            return;
        }
        boolean keepClient = HttpUtil.isKeepAlive(request) && !draining;
        int query = path.indexOf('?');
        String routePath = path.equals("*") ? "/" : query < 0 ? path : path.substring(0, query);

        Route route = relay.routes().current().match(hostKey, routePath);
        Exchange ex = new Exchange(request, route, hostKey == null ? "" : hostKey, http10, keepClient);
        setCurrent(ex);
        if (route == null) {
            respondLocally(ex, HttpResponseStatus.NOT_FOUND, "no_route",
                    "no route for " + (hostKey == null ? "" : hostKey) + routePath);
            return;
        }
        if (route.maxBody() > 0 && HttpUtil.getContentLength(request, 0L) > route.maxBody()) {
            relay.events().rejected("client_body_too_large");
            ex.keepClient = false; // the body is not read: the connection cannot go on
            respondLocally(ex, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "client_body_too_large",
                    "the request body is larger than " + route.maxBody() + " bytes");
            closeClient();
            return;
        }
        if (!ex.admit()) {
            respondLocally(ex, HttpResponseStatus.SERVICE_UNAVAILABLE, "pool_overflow",
                    "pool " + route.pool().name() + " has too many requests in flight");
            return;
        }
        HopByHopHeaders.strip(headers);
        ForwardedHeaders.add(headers, client, host);
        if (!headers.contains(X_REQUEST_ID)) {
            headers.set(X_REQUEST_ID, ex.requestId);
        }
        if (authority != null) {
            request.setUri(path);
            headers.set(HttpHeaderNames.HOST, authority);
        }
        request.setProtocolVersion(HttpVersion.HTTP_1_1); // we speak HTTP/1.1 upstream, with keep-alive
        ExchangeTimers.startTotal(ex, timer);
        dispatch(ex, pick(ex));
    }

    /** Sends {@code ex} to {@code backend}: on an idle pooled connection, or a new one. */
    private void dispatch(Exchange ex, Backend backend) {
        if (backend == null) {
            respondLocally(ex, HttpResponseStatus.SERVICE_UNAVAILABLE, "no_backend",
                    "no backend available in pool " + ex.route.pool().name());
            return;
        }
        if (!ex.request.headers().contains(HttpHeaderNames.HOST)) {
            ex.request.headers().set(HttpHeaderNames.HOST, backend.endpoint().authority()); // an HTTP/1.0 request
        }
        Channel idle = pool.acquire(backend.address());
        if (idle != null) {
            ex.connectNanos = -1;
            ex.use(backend);
            attach(ex, idle);
            return;
        }
        PoolGuard guard = ex.guard();
        if (!guard.mayConnect(backend)) {
            respondLocally(ex, HttpResponseStatus.SERVICE_UNAVAILABLE, "backend_overflow",
                    "backend " + backend + " has too many connections");
            return;
        }
        ex.use(backend);
        backend.connectionOpened();
        ex.connectStartNanos = System.nanoTime();
        ChannelFuture connecting = pool.connect(backend.address(), guard.connectTimeout());
        connecting.addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                f.channel().closeFuture().addListener(closed -> backend.connectionClosed());
            } else {
                backend.connectionClosed();
            }
            connected(ex, backend, f);
        });
    }

    /** The balancer's pick for a first attempt. */
    private static Backend pick(Exchange ex) {
        return ex.route.pool().balancer().pick(ex.hostKey);
    }

    /**
     * The backend for a retry: the least loaded available one this request has not failed on. Not
     * the balancer's pick, which would advance round robin's turn and could keep sending every first
     * attempt to the backend that fails.
     */
    private static Backend pickForRetry(Exchange ex) {
        Backend best = null;
        for (Backend b : ex.route.pool().balancer().backends()) {
            if (b.available() && !ex.failedOn(b)
                    && (best == null || (long) b.inFlight() * best.weight() < (long) best.inFlight() * b.weight())) {
                best = b;
            }
        }
        return best;
    }

    private void connected(Exchange ex, Backend backend, ChannelFuture f) {
        if (ex != current || ex.backend != backend) {
            // The client left (or the exchange ended) while we were connecting: keep the connection,
            // unless its backend left the route table meanwhile.
            if (f.isSuccess() && relay.routes().current().serves(backend.address())) {
                pool.release(f.channel(), backend.address());
            } else if (f.isSuccess()) {
                f.channel().close();
            }
            return;
        }
        if (!f.isSuccess()) {
            Throwable cause = f.cause();
            String word = cause instanceof ConnectTimeoutException ? "upstream_connect_timeout"
                    : cause instanceof ConnectException ? "upstream_connect_refused" : "upstream_connect_error";
            ex.guard().outliers().failure(backend);
            // Nothing of the request left the proxy: any request may go to another backend.
            if (!retry(ex, word, cause.getMessage())) {
                respondLocally(ex, HttpResponseStatus.BAD_GATEWAY, word, "cannot reach backend " + backend,
                        cause.getMessage());
            }
            process(); // drop the body that waited for the connection, then go on with the next request
        } else {
            ex.connectNanos = System.nanoTime() - ex.connectStartNanos;
            attach(ex, f.channel());
            process();
        }
        flush();
    }

    /**
     * Sends {@code ex} to another backend after its attempt failed before any response came, if a
     * retry is left for it and in its pool's budget; false when not.
     */
    private boolean retry(Exchange ex, String word, String detail) {
        Backend failed = ex.backend;
        ex.dropBackend();
        Backend next = pickForRetry(ex);
        if (next == null || !ex.tryRetry()) {
            return false;
        }
        log.info("{} backend={} route={} client={}: retrying on {}{}", word, failed, ex.route, clientAddress, next,
                detail == null ? "" : " (" + detail + ")");
        dispatch(ex, next);
        return true;
    }

    private void attach(Exchange ex, Channel upstream) {
        ex.upstream = upstream;
        upstream.pipeline().get(BackendHandler.class).bind(ex, this);
        writeUpstream(upstream, ex.request);
        if (ex.requestDone) {
            // a retry of a bodiless request: its end was written to the failed attempt
            writeUpstream(upstream, LastHttpContent.EMPTY_LAST_CONTENT);
            requestSent(ex);
        }
    }

    /** The whole request is upstream: now the response must come in time. */
    private void requestSent(Exchange ex) {
        ExchangeTimers.awaitResponse(ex, timer);
    }

    private void writeUpstream(Channel upstream, Object msg) {
        if (dirtyUpstream != null && dirtyUpstream != upstream) {
            dirtyUpstream.flush();
        }
        dirtyUpstream = upstream;
        upstream.write(msg, upstream.voidPromise());
    }

    private void badRequestBody(Exchange ex, DecoderResult result) {
        relay.events().rejected("client_bad_body");
        if (ex.responseStarted) {
            log.debug("client_bad_body client={} {}", clientAddress, result.cause().toString());
            ex.termination = "client_bad_body";
            ctx.close();
            return;
        }
        abandonUpstream(ex);
        ex.keepClient = false;
        respondLocally(ex, HttpResponseStatus.BAD_REQUEST, "client_bad_body",
                "malformed request body: " + result.cause().getMessage());
        closeClient(); // the decoder cannot find the next request after a broken body
    }

    /** A body past the route's {@code max_body}: 413 if no response began, and the connection closes. */
    private void bodyTooLarge(Exchange ex) {
        relay.events().rejected("client_body_too_large");
        abandonUpstream(ex);
        ex.keepClient = false;
        if (ex.responseStarted) {
            ex.termination = "client_body_too_large";
            closeClient();
            return;
        }
        respondLocally(ex, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "client_body_too_large",
                "the request body is larger than " + ex.route.maxBody() + " bytes");
        closeClient();
    }

    // ---- response side (called by BackendHandler) -----------------------------------------

    /** Writes the response head of {@code ex} to the client, made fit for this client connection. */
    void writeResponseHead(Exchange ex, HttpResponse response) {
        ex.responseStarted = true;
        int status = response.status().code();
        ex.status = status;
        if (status >= 500) {
            ex.guard().outliers().failure(ex.backend);
        } else {
            ex.guard().outliers().success(ex.backend);
        }
        ExchangeTimers.responseStarted(ex, timer);
        HttpHeaders headers = response.headers();
        HopByHopHeaders.strip(headers);
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        int code = response.status().code();
        boolean bodyless = ex.headRequest || code == 204 || code == 304;
        boolean chunked = HttpUtil.isTransferEncodingChunked(response);
        if (!bodyless && !chunked && !HttpUtil.isContentLengthSet(response)) {
            // The backend marks the end of the body by closing: chunk it for a 1.1 client so its
            // connection can live on; a 1.0 client gets the same close-delimited body.
            if (ex.clientHttp10) {
                ex.keepClient = false;
            } else {
                HttpUtil.setTransferEncodingChunked(response, true);
            }
        } else if (chunked && ex.clientHttp10) {
            // RFC 9112 §7.1: chunked is not for HTTP/1.0 recipients.
            headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
            ex.keepClient = false;
        }
        if (draining) {
            ex.keepClient = false;
        }
        if (!ex.keepClient) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (ex.clientHttp10) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        writeClient(response);
    }

    /**
     * Writes bytes to the client past the HTTP encoder: for 1xx responses, which the encoder would
     * count as the answer to the request (see {@link InformationalResponse}).
     */
    void writeClientBytes(ByteBuf bytes) {
        clientDirty = true;
        ctx.pipeline().context(ClientCodec.class).write(bytes, ctx.voidPromise());
    }

    /** Writes a response message to the client; returns whether the client can take more now. */
    boolean writeClient(Object msg) {
        clientDirty = true;
        ctx.write(msg, ctx.voidPromise());
        return ctx.channel().isWritable();
    }

    /** The last byte of the response of {@code ex} has been written. */
    void responseComplete(Exchange ex) {
        ex.responseDone = true;
        if (ex.requestDone) {
            finish(ex);
            process();
        } else {
            // An early response (RFC 9110 §15: a server may answer before the body is complete):
            // drop the rest of the body; the upstream connection is mid-request and cannot be reused.
            ex.reuseUpstream = false;
            ex.discarding = true;
            abandonUpstream(ex);
            process();
        }
    }

    /** The upstream connection of {@code ex} closed or failed before the exchange was done. */
    void upstreamFailed(Exchange ex, String word, Throwable cause) {
        if (ex != current || ex.responseDone) {
            return;
        }
        Channel up = ex.upstream;
        ex.upstream = null;
        if (dirtyUpstream == up) {
            dirtyUpstream = null;
        }
        if (up != null) {
            up.pipeline().get(BackendHandler.class).unbind();
            up.close();
        }
        Backend failed = ex.backend;
        if (failed != null) {
            ex.guard().outliers().failure(failed);
        }
        // Sent again only when that is safe: idempotent, bodiless, no response byte seen (RFC 9110 §9.2.2).
        if (!ex.responseStarted && !ex.interimSent && ex.requestDone && ex.resendable && !ex.discarding
                && retry(ex, word, cause == null ? null : cause.toString())) {
            flush();
            return;
        }
        if (ex.responseStarted) {
            // Never let a short body look complete: close without ending the message.
            log.warn("{} backend={} route={} client={} (response cut short){}", word, ex.backend, ex.route,
                    clientAddress, cause == null ? "" : ": " + cause);
            ex.termination = word; // recorded when the connection has closed, with what was sent
            ex.close();
            closing = true;
            releasePending();
            ctx.close();
            return;
        }
        respondLocally(ex, HttpResponseStatus.BAD_GATEWAY, word, "backend " + failed + " failed",
                cause == null ? null : cause.toString());
        process();
        flush();
    }

    /** The response to {@code ex} did not come in time ({@code response} or {@code total} timeout). */
    void upstreamTimedOut(Exchange ex, String word) {
        if (ex != current || ex.responseDone) {
            return;
        }
        if (ex.responseStarted) {
            upstreamFailed(ex, word, null); // cut short: the client connection closes
            return;
        }
        Channel up = ex.upstream;
        ex.upstream = null;
        if (up != null) {
            if (dirtyUpstream == up) {
                dirtyUpstream = null;
            }
            up.pipeline().get(BackendHandler.class).unbind();
            up.close();
        }
        Backend late = ex.backend;
        if (late != null) {
            ex.guard().outliers().failure(late);
        }
        if (word.equals("upstream_response_timeout") && !ex.interimSent && ex.requestDone && ex.resendable
                && !ex.discarding && retry(ex, word, null)) {
            flush();
            return;
        }
        ex.cancelTimers();
        respondLocally(ex, HttpResponseStatus.GATEWAY_TIMEOUT, word,
                "backend " + (late == null ? "" : late + " ") + "did not answer in time");
        process();
        flush();
    }

    void flush() {
        if (dirtyUpstream != null) {
            Channel up = dirtyUpstream;
            dirtyUpstream = null;
            up.flush();
        }
        if (clientDirty) {
            clientDirty = false;
            ctx.flush();
        }
    }

    /** Ends the current exchange's waits on its backend that are over; nanoseconds until the next ends. */
    long checkUpstream(long now) {
        Exchange ex = current;
        return ex == null || closing ? Long.MAX_VALUE : ExchangeTimers.check(ex, this, now);
    }

    /** What this connection waits for from its client now, for {@link ClientTimer}. */
    ClientTimer.Wait waitingFor() {
        Exchange ex = current;
        if (closing) {
            return ClientTimer.Wait.NOTHING;
        }
        if (ex == null) {
            return ClientTimer.Wait.REQUEST;
        }
        // A body we do not read (backpressure) is not the client's delay.
        boolean reading = !ex.requestDone && ctx.channel().config().isAutoRead();
        return reading ? ClientTimer.Wait.BODY : ClientTimer.Wait.NOTHING;
    }

    boolean closed() {
        return closing || !ctx.channel().isActive();
    }

    /**
     * A wait on the client ran out. With {@code answer} and no response begun, the client is told
     * (408, RFC 9110 §15.5.9); either way the connection closes.
     */
    void clientTimedOut(String word, boolean answer) {
        Exchange ex = current;
        log.info("{} client={}{}", word, clientAddress,
                ex == null ? "" : " " + ex.request.method() + " " + ex.request.uri());
        if (ex != null) {
            abandonUpstream(ex);
            ex.termination = word;
        } else {
            noRequestEnd = word;
        }
        if (!word.equals("client_keep_alive_timeout")) { // an idle connection closing refuses nothing
            relay.events().rejected(word);
        }
        if (answer && (ex == null || !ex.responseStarted)) {
            if (ex != null) {
                ex.status = HttpResponseStatus.REQUEST_TIMEOUT.code();
            } else {
                noRequestStatus = HttpResponseStatus.REQUEST_TIMEOUT.code();
            }
            writeClient(LocalResponse.of(HttpResponseStatus.REQUEST_TIMEOUT, "the request did not arrive in time",
                    false));
            closeClient();
        } else {
            closing = true;
            releasePending();
            ctx.close();
        }
    }

    /** The client connection's event loop: where this exchange's timers run. */
    EventExecutor executor() {
        return ctx.executor();
    }

    // ---- ending exchanges -----------------------------------------------------------------

    private void finish(Exchange ex) {
        current = null;
        recordWhenSent(ex);
        Backend backend = ex.backend;
        ex.close();
        Channel up = ex.upstream;
        if (up != null) {
            ex.upstream = null;
            up.pipeline().get(BackendHandler.class).unbind();
            // A backend that left the route table drains: its connections close as their requests end.
            if (ex.reuseUpstream && up.isActive() && relay.routes().current().serves(backend.address())) {
                up.config().setAutoRead(true); // an idle pooled connection notices a close or stray bytes
                pool.release(up, backend.address());
            } else {
                up.close();
            }
        }
        if (!ex.keepClient || draining) {
            closeClient();
        } else {
            tracker.idle();
            timer.idle();
        }
    }

    /** Closes the upstream connection of an exchange that will not complete there. */
    private void abandonUpstream(Exchange ex) {
        ex.cancelTimers();
        Channel up = ex.upstream;
        if (up != null) {
            ex.upstream = null;
            if (dirtyUpstream == up) {
                dirtyUpstream = null;
            }
            up.pipeline().get(BackendHandler.class).unbind();
            up.close();
        }
    }

    private void respondLocally(Exchange ex, HttpResponseStatus status, String word, String text) {
        respondLocally(ex, status, word, text, null);
    }

    /**
     * Answers {@code ex} with a response of the proxy's own, logged with its cause word; the rest of
     * the request body is read and dropped.
     */
    private void respondLocally(Exchange ex, HttpResponseStatus status, String word, String text, String detail) {
        respondLocally(ex, status, word, text, detail, null);
    }

    private void respondLocally(Exchange ex, HttpResponseStatus status, String word, String text, String detail,
            HttpHeaders extra) {
        ex.termination = word;
        String line = "{} status={} client={} {} {} host={}{}{}";
        Object[] args = {word, status.code(), clientAddress, ex.request.method(), ex.request.uri(),
            ex.request.headers().get(HttpHeaderNames.HOST),
            ex.backend == null ? "" : " backend=" + ex.backend, detail == null ? "" : ": " + detail};
        if (status.code() >= 500) {
            log.warn(line, args);
        } else {
            log.info(line, args);
        }
        answer(ex, status, text, extra);
    }

    /**
     * Answers {@code ex} with a response of the proxy's own, without a log line of its own; the
     * rest of the request body is read and dropped.
     */
    private void answer(Exchange ex, HttpResponseStatus status, String text, HttpHeaders extra) {
        ex.status = status.code();
        ex.discarding = true;
        ex.responseStarted = true;
        if (draining || (!ex.requestDone && HttpUtil.is100ContinueExpected(ex.request))) {
            // A client waiting for 100 Continue may never send the body we would wait to drop.
            ex.keepClient = false;
        }
        HttpResponse response = LocalResponse.of(status, text, ex.keepClient);
        if (extra != null) {
            response.headers().add(extra);
        }
        if (ex.keepClient && ex.clientHttp10) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        writeClient(response);
        ex.responseDone = true;
        if (ex.requestDone) {
            finish(ex);
        }
    }

    private void rejectAndClose(HttpRequest request, HttpResponseStatus status, String word, String text) {
        relay.events().rejected(word);
        Exchange ex = new Exchange(request, null, null, false, false);
        setCurrent(ex);
        respondLocally(ex, status, word, text);
        closeClient();
    }

    /** Makes {@code ex} the exchange of this connection, marking where on the wire it begins. */
    private void setCurrent(Exchange ex) {
        ex.arrivedNanos = wire.headStartNanos;
        ex.inStart = headStart;
        ex.outStart = wire.written();
        String id = ex.request.headers().get(X_REQUEST_ID);
        ex.requestId = id != null ? id : RequestId.next();
        if (relay.live().watching()) {
            ex.headersSeen = headersOf(ex.request);
        }
        requests++;
        tracker.active();
        current = ex;
    }

    /** Records {@code ex}, which ended whole, once its response has left (or the connection closed). */
    private void recordWhenSent(Exchange ex) {
        long in = ex.inEnd - ex.inStart;
        long end = wire.written();
        writeEnd = end;
        wire.afterSent(() -> {
            boolean whole = wire.sent() >= end;
            record(ex, in, Math.min(wire.sent(), end) - ex.outStart, whole ? ex.termination : "client_abort");
        });
    }

    /** Records {@code ex}, which was under way when its connection closed. */
    private void recordEnded(Exchange ex) {
        long in = (ex.inEnd >= 0 ? ex.inEnd : wire.received()) - ex.inStart;
        long out = Math.max(0, wire.sent() - ex.outStart);
        record(ex, in, out, ex.termination.equals("ok") ? "client_abort" : ex.termination);
    }

    /**
     * Records a connection that closed without a request, or with the start of one: not an idle
     * keep-alive connection closing after its last request.
     */
    private void recordNoRequest() {
        long in = wire.received() - readEnd;
        if (requests > 0 && in == 0 && noRequestStatus == 0) {
            return;
        }
        long start = in > 0 ? wire.headStartNanos : openedNanos;
        long now = System.nanoTime();
        String end = noRequestEnd != null ? noRequestEnd : in > 0 ? "client_abort" : "no_request";
        relay.records().accept(new AccessRecord(epochMillis(start, now), client.ip(), clientAddress.getPort(),
                NONE, NONE, NONE, NONE, noRequestStatus, in, Math.max(0, wire.sent() - writeEnd), 0, 0, NONE, NONE,
                NONE, micros(now - start), -1, -1, end, NONE, NONE, NONE));
    }

    private void record(Exchange ex, long bytesIn, long bytesOut, String termination) {
        if (ex.recorded) {
            return;
        }
        ex.recorded = true;
        long now = System.nanoTime();
        HttpHeaders h = ex.request.headers();
        Route route = ex.route;
        AccessRecord rec = new AccessRecord(epochMillis(ex.arrivedNanos, now), client.ip(), clientAddress.getPort(),
                ex.request.method().name(), ex.hostKey == null || ex.hostKey.isEmpty() ? NONE : ex.hostKey,
                ex.request.uri(), ex.clientHttp10 ? "HTTP/1.0" : "HTTP/1.1", ex.status, bytesIn, bytesOut,
                ex.upstreamOut, ex.upstreamIn, route == null ? NONE : route.rule(),
                route == null ? NONE : route.pool().name(), ex.backend == null ? NONE : ex.backend.toString(),
                micros(now - ex.arrivedNanos), micros(ex.connectNanos), micros(ex.firstByteNanos), termination,
                ex.requestId, orNone(h.get(HttpHeaderNames.REFERER)), orNone(h.get(HttpHeaderNames.USER_AGENT)));
        relay.records().accept(rec);
        if (ex.headersSeen != null) {
            relay.live().offer(rec, ex.headersSeen);
        }
    }

    /** A copy of {@code request}'s header fields, before the proxy changes any. */
    private static List<LiveTap.Header> headersOf(HttpRequest request) {
        List<LiveTap.Header> headers = new ArrayList<>(request.headers().size());
        request.headers().forEach(e -> headers.add(new LiveTap.Header(e.getKey(), HeaderText.readable(e.getValue()))));
        return headers;
    }

    private static long epochMillis(long nanos, long nowNanos) {
        return System.currentTimeMillis() - (nowNanos - nanos) / 1_000_000;
    }

    private static long micros(long nanos) {
        return nanos < 0 ? -1 : nanos / 1_000;
    }

    private static String orNone(String value) {
        return value == null ? NONE : HeaderText.readable(value);
    }

    private void closeClient() {
        closing = true;
        releasePending();
        clientDirty = false;
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * 3. Read from the client only while there is room for what it sends, and while it takes what
     * it is sent: a client that pipelines requests and reads no responses gets no more read.
     */
    void updateReading() {
        Exchange ex = current;
        boolean room = !closing && pendingBytes < MAX_PENDING_BYTES && pending.size() < MAX_PENDING_MESSAGES
                && ctx.channel().isWritable()
                && (ex == null || ex.requestDone || ex.discarding || ex.upstream == null || ex.upstream.isWritable());
        if (ctx.channel().config().isAutoRead() != room) {
            ctx.channel().config().setAutoRead(room);
        }
    }

    private void take() {
        HttpObject m = pending.pollFirst();
        pendingBytes -= weight(m);
        if (m instanceof LastHttpContent) {
            readEnd = codec.takeRequestEnd();
        }
    }

    private void releasePending() {
        HttpObject m;
        while ((m = pending.pollFirst()) != null) {
            ReferenceCountUtil.release(m);
        }
        pendingBytes = 0;
        codec.dropRequestEnds();
    }

    private static int weight(HttpObject m) {
        return m instanceof HttpContent c ? c.content().readableBytes() : HEAD_WEIGHT;
    }

    /** Length of {@code http://} or {@code https://} at the start of {@code target}, else 0. */
    private static int schemeLength(String target) {
        if (target.regionMatches(true, 0, "http://", 0, 7)) {
            return 7;
        }
        return target.regionMatches(true, 0, "https://", 0, 8) ? 8 : 0;
    }
}
