package dev.sluice.relay;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ⑥ The upstream side of the relay: streams the response of the {@link Exchange} bound to this
 * connection back to its client. One per upstream connection; bound to one exchange at a time and
 * unbound while the connection waits in its pool.
 */
final class BackendHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(BackendHandler.class);

    private Exchange exchange;
    private FrontendHandler front;
    private UpstreamWire wire;
    /** The wire's counts when the exchange was bound. */
    private long readMark;
    private long writtenMark;
    /** The decoder ends an informational (1xx) response with an empty last content: not ours to send. */
    private boolean skipLastContent;
    /** The client written to in this read batch; kept past the end of its exchange to flush it once. */
    private FrontendHandler written;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        wire = ctx.pipeline().get(UpstreamWire.class);
    }

    void bind(Exchange ex, FrontendHandler front) {
        this.exchange = ex;
        this.front = front;
        readMark = wire.read();
        writtenMark = wire.written();
    }

    /** Ends the binding; the exchange keeps the bytes that went each way meanwhile. */
    void unbind() {
        Exchange ex = exchange;
        if (ex != null) {
            ex.upstreamIn += wire.read() - readMark;
            ex.upstreamOut += wire.written() - writtenMark;
        }
        this.exchange = null;
        this.front = null;
        this.skipLastContent = false;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Exchange ex = exchange;
        if (ex == null) {
            // Bytes on an idle pooled connection: nothing asked for them, so it cannot be trusted.
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        written = front;
        if (msg instanceof HttpResponse response) {
            if (ex.firstByteNanos < 0) {
                ex.firstByteNanos = System.nanoTime() - ex.arrivedNanos;
            }
            if (response.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                front.upstreamFailed(ex, "upstream_bad_response", response.decoderResult().cause());
                ctx.close();
                return;
            }
            int code = response.status().code();
            if (code < 200) {
                informational(ctx, ex, response);
                return;
            }
            ex.reuseUpstream = HttpUtil.isKeepAlive(response);
            front.writeResponseHead(ex, response);
        } else if (msg instanceof HttpContent content) {
            if (content.decoderResult().isFailure()) {
                // A body the codec cannot frame (a bad chunk): nothing more of it can be trusted.
                Throwable cause = content.decoderResult().cause();
                content.release();
                front.upstreamFailed(ex, "upstream_bad_response", cause);
                ctx.close();
                return;
            }
            if (skipLastContent) {
                skipLastContent = !(content instanceof LastHttpContent);
                content.release();
                return;
            }
            boolean last = content instanceof LastHttpContent;
            ex.lastReadNanos = System.nanoTime();
            if (!front.writeClient(content)) {
                // 3. The client is slower than the backend: stop reading until it drains.
                ctx.channel().config().setAutoRead(false);
            }
            if (last) {
                front.responseComplete(ex);
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void informational(ChannelHandlerContext ctx, Exchange ex, HttpResponse response) {
        if (response.status().code() == 101) {
            // Upgrade is stripped from requests, so a switch of protocols was never asked for.
            front.upstreamFailed(ex, "upstream_unexpected_upgrade", null);
            ctx.close();
            return;
        }
        // 100 Continue, 103 Early Hints: pass on as bytes, so the client codec's request/response
        // bookkeeping (HEAD) stays with the final response. Not to HTTP/1.0 clients (RFC 9110 §15.2).
        skipLastContent = true;
        ex.interimSent = true;
        if (!ex.clientHttp10) {
            front.writeClientBytes(InformationalResponse.encode(response, ctx.alloc()));
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        FrontendHandler f = written;
        if (f != null) {
            written = null;
            f.flush();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // 3. The upstream drained the request body we wrote: read more of it from the client.
        FrontendHandler f = front;
        if (f != null) {
            f.updateReading();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Exchange ex = exchange;
        if (ex != null) {
            front.upstreamFailed(ex, ex.responseStarted ? "upstream_abort" : "upstream_closed", null);
            unbind();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Exchange ex = exchange;
        if (ex != null) {
            front.upstreamFailed(ex, "upstream_error", cause);
            unbind();
        } else {
            log.debug("upstream_error on idle connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
        }
        ctx.close();
    }
}
