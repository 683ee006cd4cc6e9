package dev.sluice.relay;

import static java.util.Objects.requireNonNull;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;

/**
 * ② Builds the pipeline of an accepted client connection: the gate (connection limits), the clock
 * (when bytes last came, for the client timers), the HTTP/1.1 codec, then the relay.
 */
@ChannelHandler.Sharable
public final class FrontendInitializer extends ChannelInitializer<SocketChannel> {

    /** Request line limit; longer gets 414 (nginx and HAProxy allow about as much). */
    static final int MAX_REQUEST_LINE = 8 * 1024;
    /** Header block limit; more gets 431. */
    static final int MAX_HEADER_BYTES = 32 * 1024;
    /** Largest body piece passed on at once; bodies of any size stream through in such pieces. */
    static final int MAX_CHUNK = 64 * 1024;
    /**
     * Write-buffer water marks of both sides of a relay. One read (at most {@link #MAX_CHUNK}) written
     * and not yet flushed stays under the high mark: with Netty's 32/64 KiB every read of a large
     * body made the other side unwritable for a moment, and reading stopped and started again
     * (four {@code epoll_ctl} per 64 KiB; a download ran at a third of its speed). Buffering per
     * direction stays bounded by the high mark plus one read.
     */
    static final WriteBufferWaterMark WATER_MARKS = new WriteBufferWaterMark(MAX_CHUNK, 2 * MAX_CHUNK);

    private final Relay relay;

    public FrontendInitializer(Relay relay) {
        this.relay = requireNonNull(relay, "relay");
    }

    /** How request heads are read: the limits above, and every strict setting (docs/security.md). */
    public static HttpDecoderConfig decoderConfig() {
        return new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_REQUEST_LINE)
                .setMaxHeaderSize(MAX_HEADER_BYTES)
                .setMaxChunkSize(MAX_CHUNK)
                // RFC 9112 §2.2 lets a recipient take a bare LF as a line end; a backend that
                // does not would read another message: 400 instead.
                .setStrictLineParsing(true)
                // RFC 9112 §6.3: Content-Length with Transfer-Encoding, in HTTP/1.0, or a
                // chunked that is not the final coding cannot be framed safely: 400.
                .setUseRfc9112TransferEncoding(true)
                // RFC 9112 §6.3: a repeated or listed Content-Length is an error even if equal.
                .setAllowDuplicateContentLengths(false)
                // RFC 9110 §5.1, §5.5: token names, no CR, LF, NUL or other CTL in values.
                .setValidateHeaders(true);
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        relay.clients().add(ch);
        ch.config().setWriteBufferWaterMark(WATER_MARKS);
        ch.pipeline()
                .addLast("gate", relay.gate())
                .addLast("clock", new ClientWire())
                .addLast("http", new ClientCodec(decoderConfig()))
                .addLast("relay", new FrontendHandler(relay));
    }
}
