package dev.sluice.relay;

import static java.util.Objects.requireNonNull;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;

/**
 * ② Builds the pipeline of an accepted client connection: the gate (connection limits), the HTTP/1.1
 * codec, then the relay.
 */
@ChannelHandler.Sharable
public final class FrontendInitializer extends ChannelInitializer<SocketChannel> {

    /** Request line limit; longer gets 414 (nginx and HAProxy allow about as much). */
    static final int MAX_REQUEST_LINE = 8 * 1024;
    /** Header block limit; more gets 431. */
    static final int MAX_HEADER_BYTES = 32 * 1024;
    /** Largest body piece passed on at once; bodies of any size stream through in such pieces. */
    static final int MAX_CHUNK = 64 * 1024;

    private final Relay relay;

    public FrontendInitializer(Relay relay) {
        this.relay = requireNonNull(relay, "relay");
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        relay.clients().add(ch);
        ch.pipeline()
                .addLast("gate", relay.gate())
                .addLast("clock", new ClientClock())
                .addLast("http", new HttpServerCodec(new HttpDecoderConfig()
                        .setMaxInitialLineLength(MAX_REQUEST_LINE)
                        .setMaxHeaderSize(MAX_HEADER_BYTES)
                        .setMaxChunkSize(MAX_CHUNK)))
                .addLast("relay", new FrontendHandler(relay));
    }
}
