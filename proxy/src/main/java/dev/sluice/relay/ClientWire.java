package dev.sluice.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.util.ArrayDeque;

/**
 * ② What passes on a client connection's wire, seen before the codec: when bytes last arrived, when
 * a request head still arriving began (a slowloris head is invisible to handlers after the codec,
 * which only see whole heads), how many bytes came, and how many the kernel took of those written.
 * One per connection, first in its pipeline after the gate.
 *
 * <p>Bytes written count as sent when their write completes, the kernel having taken them; a
 * write that fails counts what it got out before (a buffer written in part has moved its reader
 * index that far). So an aborted transfer reports what really left, to the byte.
 */
final class ClientWire extends ChannelDuplexHandler {

    /** An action waiting until the bytes written up to {@code written} have been sent. */
    private record Waiter(long written, Runnable action) {}

    /** When bytes last arrived. */
    long lastReadNanos = System.nanoTime();
    /** When the first byte after the last request head arrived; valid while {@link #headPending}. */
    long headStartNanos;
    /** Bytes arrived since the last whole request head: the next head is on its way. */
    boolean headPending;
    private long received;
    private long written;
    private long sent;
    /** Bounded by the responses written and not yet sent, which writability bounds. */
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>(2);
    private ChannelHandlerContext ctx;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        long now = System.nanoTime();
        lastReadNanos = now;
        if (!headPending) {
            headPending = true;
            headStartNanos = now;
        }
        if (msg instanceof ByteBuf buf) {
            received += buf.readableBytes();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf buf) || !buf.isReadable()) {
            ctx.write(msg, promise);
            return;
        }
        int start = buf.readerIndex();
        int size = buf.readableBytes();
        written += size;
        buf.retain(); // to read how far a failed write got, after the channel let go of it
        ChannelPromise tracked = promise.isVoid() ? ctx.newPromise() : promise;
        tracked.addListener((ChannelFutureListener) f -> {
            sent += f.isSuccess() ? size : buf.readerIndex() - start;
            buf.release();
            runWaiters();
        });
        ctx.write(msg, tracked);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // Every write has completed or failed by now: what was sent is final.
        Waiter w;
        while ((w = waiters.pollFirst()) != null) {
            w.action().run();
        }
        ctx.fireChannelInactive();
    }

    /** A whole request head was decoded. */
    void headComplete() {
        headPending = false;
    }

    /** Bytes received from the client so far. */
    long received() {
        return received;
    }

    /** Bytes written towards the client so far, sent or not. */
    long written() {
        return written;
    }

    /** Bytes the kernel has taken of those written. */
    long sent() {
        return sent;
    }

    /**
     * Runs {@code action} once everything written so far has been sent, or once the connection
     * has closed, whichever comes first; at once if it has all been sent already.
     */
    void afterSent(Runnable action) {
        if ((sent >= written && waiters.isEmpty()) || !ctx.channel().isActive()) {
            action.run();
        } else {
            waiters.addLast(new Waiter(written, action));
        }
    }

    private void runWaiters() {
        Waiter w;
        while ((w = waiters.peekFirst()) != null && sent >= w.written()) {
            waiters.pollFirst();
            w.action().run();
        }
    }
}
