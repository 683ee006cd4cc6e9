package dev.sluice.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * ⑤ Counts the bytes an upstream connection reads and writes, before its codec: the wire sizes of
 * requests and responses as the backend sees them. Written bytes count when written, not when the
 * kernel takes them: the backend's side is not billed. One per upstream connection.
 */
final class UpstreamWire extends ChannelDuplexHandler {

    private long read;
    private long written;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            read += buf.readableBytes();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf) {
            written += buf.readableBytes();
        }
        ctx.write(msg, promise);
    }

    long read() {
        return read;
    }

    long written() {
        return written;
    }
}
