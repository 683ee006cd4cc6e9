package dev.sluice.admin;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpContentException;

/**
 * Gathers each admin request with its body, up to a limit. A request with a larger body goes on
 * without it, marked as failed with {@link TooLongHttpContentException}, so that the
 * {@link AdminHandler} answers it with the API's JSON 413 in its turn among the connection's
 * requests; the rest of that body is read and dropped, and the connection lives on. To
 * {@code Expect: 100-continue} the 413 goes at once, in place of Netty's empty one.
 */
final class AdminAggregator extends HttpObjectAggregator {

    private final int maxBody;

    AdminAggregator(int maxBody) {
        super(maxBody);
        this.maxBody = maxBody;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        HttpRequest head = (HttpRequest) oversized; // a server decodes requests only
        FullHttpRequest refused = new DefaultFullHttpRequest(head.protocolVersion(), head.method(), head.uri(),
                Unpooled.EMPTY_BUFFER, head.headers().copy(), EmptyHttpHeaders.INSTANCE);
        refused.setDecoderResult(DecoderResult.failure(new TooLongHttpContentException(tooLarge())));
        ctx.fireChannelRead(refused);
    }

    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        Object response = super.newContinueResponse(start, maxContentLength, pipeline);
        if (response instanceof FullHttpResponse r && r.status().equals(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE)) {
            r.release();
            // Netty keeps this connection and drops the body if the client sends it anyway.
            return AdminHandler.response(new AdminError(413, tooLarge()).reply(), true);
        }
        return response;
    }

    private String tooLarge() {
        return "the body is larger than the admin API takes (" + maxBody + " bytes)";
    }
}
