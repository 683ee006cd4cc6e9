package dev.sluice.health;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;

/**
 * One health check's connection: sends the check request once connected and reports the response
 * status, or why there was none, to its {@link HealthProbe}, which then closes the connection.
 * Whatever else is read is released unread.
 */
final class HealthCheckHandler extends SimpleChannelInboundHandler<HttpObject> {

    private final HealthProbe probe;

    HealthCheckHandler(HealthProbe probe) {
        this.probe = probe;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(probe.request()).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                probe.failed(f.channel(), "send_failed");
            }
        });
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
        if (!(msg instanceof HttpResponse response)) {
            return;
        }
        if (response.decoderResult().isFailure()) {
            probe.failed(ctx.channel(), "bad_response");
        } else if (response.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
            // An interim 1xx is not the answer; the final response follows it: RFC 9110 §15.2.
            probe.answered(ctx.channel(), response.status().code());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        probe.failed(ctx.channel(), "connection_closed");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        probe.failed(ctx.channel(), "connection_error");
    }
}
