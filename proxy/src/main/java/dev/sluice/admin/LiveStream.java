package dev.sluice.admin;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.accesslog.AccessRecord;
import dev.sluice.live.LiveTap;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /api/live}: the requests flowing through the proxy, as server-sent events, one JSON
 * object each — the access log's fields, the request's header fields as they came, and how many
 * requests were skipped before it ({@link LiveTap}: at most {@code rate} a second). The response
 * never ends; a comment line every few seconds keeps the connection from looking idle. What the
 * watcher's connection cannot take at once is dropped, so a slow watcher holds nothing up.
 */
final class LiveStream {

    static final int DEFAULT_RATE = 20;
    private static final long PING_SECONDS = 15;
    private static final JsonMapper JSON = new JsonMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private LiveStream() {}

    /** Answers the request on {@code ctx} with the stream, and keeps it going until the connection closes. */
    static void start(ChannelHandlerContext ctx, LiveTap tap, int rate) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
                .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        // Watching before the head goes out: a watcher that has the head sees every request after it.
        // Events are delivered on this loop, so none is written before the head.
        LiveTap.Watcher watcher = tap.watch(rate, ctx.executor(), event -> {
            if (ctx.channel().isWritable()) {
                write(ctx, "data: " + json(event) + "\n\n");
            }
        });
        ctx.channel().config().setAutoRead(false); // the stream is the connection's last answer
        ctx.writeAndFlush(head).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        ScheduledFuture<?> ping = ctx.executor().scheduleAtFixedRate(() -> write(ctx, ": ping\n\n"),
                PING_SECONDS, PING_SECONDS, TimeUnit.SECONDS);
        ctx.channel().closeFuture().addListener(f -> {
            watcher.close();
            ping.cancel(false);
        });
    }

    private static void write(ChannelHandlerContext ctx, String text) {
        ctx.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)))
                .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    /** The event on one line: the access log's field names, then {@code headers} and {@code skipped}. */
    static String json(LiveTap.Event event) {
        AccessRecord r = event.record();
        ObjectNode o = NODES.objectNode()
                .put("time", Instant.ofEpochMilli(r.startMillis()).toString())
                .put("client_ip", r.clientIp())
                .put("client_port", r.clientPort())
                .put("method", r.method())
                .put("host", r.host())
                .put("path", r.target())
                .put("protocol", r.protocol())
                .put("status", r.status())
                .put("bytes_in", r.bytesIn())
                .put("bytes_out", r.bytesOut())
                .put("route", r.route())
                .put("pool", r.pool())
                .put("backend", r.backend())
                .put("duration_us", r.totalMicros())
                .put("termination", r.termination())
                .put("request_id", r.requestId());
        ArrayNode headers = o.putArray("headers");
        for (LiveTap.Header h : event.headers()) {
            headers.addArray().add(h.name()).add(h.value());
        }
        o.put("skipped", event.skipped());
        try {
            return JSON.writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always writes", e);
        }
    }
}
