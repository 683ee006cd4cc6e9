package dev.sluice.relay;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * ② Notes when a client connection last delivered bytes, before the codec sees them: a request
 * head that is still arriving (slowloris) is invisible to handlers after the codec, which only see
 * whole heads. One per connection, first in its pipeline.
 */
final class ClientClock extends ChannelInboundHandlerAdapter {

    /** When bytes last arrived. */
    long lastReadNanos = System.nanoTime();
    /** When the first byte after the last request head arrived; valid while {@link #headPending}. */
    long headStartNanos;
    /** Bytes arrived since the last whole request head: the next head is on its way. */
    boolean headPending;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        long now = System.nanoTime();
        lastReadNanos = now;
        if (!headPending) {
            headPending = true;
            headStartNanos = now;
        }
        ctx.fireChannelRead(msg);
    }

    /** A whole request head was decoded. */
    void headComplete() {
        headPending = false;
    }
}
