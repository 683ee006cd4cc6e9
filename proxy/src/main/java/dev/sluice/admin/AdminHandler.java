package dev.sluice.admin;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import dev.sluice.live.LiveTap;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpContentException;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * One admin connection. Each request is matched to its endpoint; reads are answered here, on the
 * event loop, from the published snapshots; changes need the token and run on the control-plane
 * thread, because they block until durable, and their answer is written back from there.
 * Answers go out in request order (RFC 9112 §9.3.2): requests that come while a change runs wait
 * for it, and reading stops until it is answered, so what waits stays bounded.
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(AdminHandler.class);

    private static final String NO_TOKEN =
            "changes are disabled: no admin token is configured (admin_token_file or SLUICE_ADMIN_TOKEN)";

    private final AdminApi api;
    private final LiveTap live;
    private final String token;
    private final Executor changes;
    private final int maxWaitingChanges;
    private final ArrayDeque<Request> waiting = new ArrayDeque<>();
    private boolean changing;

    /**
     * What the handler keeps of a request: the body is copied, so nothing needs releasing later.
     * {@code refusal} is the answer to a request that could not be read, or {@code null}.
     */
    private record Request(String method, String uri, String authorization, byte[] body, boolean keepAlive,
            String client, Reply refusal) {
        boolean changes() {
            return !method.equals("GET");
        }

        @Override
        public String toString() {
            return "client=" + client + " " + method + " " + uri;
        }
    }

    /**
     * @param token the bearer token changes need, or {@code null}: changes are refused
     * @param changes the control-plane thread, with a bounded queue of {@code maxWaitingChanges}
     * @param live the proxy's live traffic, for {@code GET /api/live}
     */
    AdminHandler(AdminApi api, String token, Executor changes, int maxWaitingChanges, LiveTap live) {
        this.api = api;
        this.live = live;
        this.token = token;
        this.changes = changes;
        this.maxWaitingChanges = maxWaitingChanges;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
        Reply refusal = null;
        boolean keepAlive = HttpUtil.isKeepAlive(msg);
        if (!msg.decoderResult().isSuccess()) {
            Throwable cause = msg.decoderResult().cause();
            // A body too large was dropped and the connection can go on; after other decoding errors it cannot.
            boolean tooLarge = cause instanceof TooLongHttpContentException;
            refusal = new AdminError(tooLarge ? 413 : 400,
                    tooLarge ? cause.getMessage() : "the request could not be read as HTTP/1.1: " + cause.getMessage())
                    .reply();
            keepAlive &= tooLarge;
        }
        Request request = new Request(msg.method().name(), msg.uri(), msg.headers().get(HttpHeaderNames.AUTHORIZATION),
                ByteBufUtil.getBytes(msg.content()), keepAlive, String.valueOf(ctx.channel().remoteAddress()), refusal);
        if (changing) {
            waiting.add(request);
            ctx.channel().config().setAutoRead(false);
            return;
        }
        serve(ctx, request);
    }

    private void serve(ChannelHandlerContext ctx, Request request) {
        if (request.refusal() != null) {
            send(ctx, request.refusal(), request.keepAlive());
            return;
        }
        if (request.method().equals("GET") && isLive(request.uri())) {
            watchLive(ctx, request);
            return;
        }
        AdminApi.Action action;
        try {
            action = api.action(request.method(), request.uri(), request.body());
            if (request.changes()) {
                authorize(request);
            }
        } catch (AdminError e) {
            if (request.changes()) {
                logRefused(request, e.reply());
            }
            send(ctx, e.reply(), request.keepAlive());
            return;
        }
        if (!request.changes()) {
            send(ctx, run(action), request.keepAlive());
            return;
        }
        changing = true;
        try {
            changes.execute(() -> {
                Reply reply = run(action);
                try {
                    ctx.executor().execute(() -> changed(ctx, request, reply));
                } catch (RejectedExecutionException closing) {
                    // The admin listener is closing: the change was made, but its answer cannot be sent.
                }
            });
        } catch (RejectedExecutionException full) {
            changing = false;
            Reply reply = AdminError.busy("too many changes are waiting (" + maxWaitingChanges
                    + "); nothing was changed, try again shortly").reply();
            logRefused(request, reply);
            send(ctx, reply, request.keepAlive());
        }
    }

    /** On the event loop again: answer the change, then the requests that waited for it. */
    private void changed(ChannelHandlerContext ctx, Request request, Reply reply) {
        if (reply.status() < 300) {
            log.info("admin_change status={} {}", reply.status(), request);
        } else {
            logRefused(request, reply);
        }
        send(ctx, reply, request.keepAlive());
        changing = false;
        if (!request.keepAlive()) {
            waiting.clear(); // the connection closes after this answer
        }
        while (!changing && !waiting.isEmpty()) {
            serve(ctx, waiting.poll());
        }
        if (!changing) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** Bad input is the client's to fix; a refused token or a server failure is the operator's to see. */
    private static void logRefused(Request request, Reply reply) {
        int status = reply.status();
        log.atLevel(status == 401 || status == 403 || status >= 500 ? Level.WARN : Level.INFO)
                .log("admin_change_refused status={} {}: {}", status, request, reply.error());
    }

    private static boolean isLive(String uri) {
        return uri.equals("/api/live") || uri.startsWith("/api/live?");
    }

    /** {@code GET /api/live[?rate=N]}: live traffic holds request headers, so it needs the token too. */
    private void watchLive(ChannelHandlerContext ctx, Request request) {
        try {
            authorize(request);
            LiveStream.start(ctx, live, rate(request.uri()));
        } catch (AdminError e) {
            logRefused(request, e.reply());
            send(ctx, e.reply(), request.keepAlive());
        } catch (IllegalStateException full) {
            send(ctx, AdminError.busy(full.getMessage()).reply(), request.keepAlive());
        }
    }

    private static int rate(String uri) throws AdminError {
        int q = uri.indexOf("?rate=");
        if (q < 0) {
            return LiveStream.DEFAULT_RATE;
        }
        String value = uri.substring(q + "?rate=".length());
        if (!value.matches("[0-9]{1,3}") || Integer.parseInt(value) < 1 || Integer.parseInt(value) > LiveTap.MAX_RATE) {
            throw new AdminError(400, "rate must be a whole number of requests a second, 1-" + LiveTap.MAX_RATE
                    + ", got \"" + value + "\"");
        }
        return Integer.parseInt(value);
    }

    private void authorize(Request request) throws AdminError {
        if (token == null) {
            throw new AdminError(403, NO_TOKEN);
        }
        if (!AdminToken.isBearer(request.authorization())) {
            throw AdminError.unauthorized((request.changes() ? "changes" : "live traffic")
                    + " need the admin token: send Authorization: Bearer <token>", "Bearer");
        }
        if (!AdminToken.matches(token, request.authorization())) {
            throw AdminError.unauthorized("the admin token is wrong", "Bearer error=\"invalid_token\"");
        }
    }

    private static Reply run(AdminApi.Action action) {
        try {
            return action.run();
        } catch (AdminError e) {
            return e.reply();
        } catch (RuntimeException e) {
            log.error("admin_internal_error", e);
            return new AdminError(500, "internal error (" + e + "); see the proxy's log").reply();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent && !changing) {
            ctx.close(); // an idle admin connection holds nothing worth keeping
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        waiting.clear();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("admin connection {} failed", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }

    /** Writes {@code reply}; closes the connection after it unless {@code keepAlive}. */
    static void send(ChannelHandlerContext ctx, Reply reply, boolean keepAlive) {
        ctx.writeAndFlush(response(reply, keepAlive))
                .addListener(keepAlive ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
    }

    static FullHttpResponse response(Reply reply, boolean keepAlive) {
        byte[] body = reply.body();
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(reply.status()), Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, reply.contentType())
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
                .set("x-content-type-options", "nosniff"); // a browser takes each body as the type it is sent as
        reply.headers().forEach(response.headers()::set);
        HttpUtil.setKeepAlive(response, keepAlive);
        return response;
    }
}
