package dev.sluice.relay;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;

/**
 * ⑤ Builds the pipeline of an upstream connection: the byte counts, the HTTP/1.1 client codec,
 * then the relay.
 */
@ChannelHandler.Sharable
public final class BackendInitializer extends ChannelInitializer<Channel> {

    private static final int MAX_RESPONSE_HEADER_BYTES = 64 * 1024;

    @Override
    protected void initChannel(Channel ch) {
        ch.config().setWriteBufferWaterMark(FrontendInitializer.WATER_MARKS);
        ch.pipeline()
                .addLast("wire", new UpstreamWire())
                .addLast("http", new HttpClientCodec(new HttpDecoderConfig()
                        .setMaxHeaderSize(MAX_RESPONSE_HEADER_BYTES)
                        .setMaxChunkSize(FrontendInitializer.MAX_CHUNK), false, false))
                .addLast("relay", new BackendHandler());
    }
}
