package dev.sluice.admin;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Gathers each admin request with its body, up to a limit. A larger body is answered with the
 * API's JSON 413 instead of Netty's empty one: at once when {@code Content-Length} says so (or in
 * answer to {@code Expect: 100-continue}), else when the limit is crossed; then the connection
 * closes rather than read the rest.
 */
final class AdminAggregator extends HttpObjectAggregator {

    private final int maxBody;

    AdminAggregator(int maxBody) {
        super(maxBody);
        this.maxBody = maxBody;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        AdminHandler.send(ctx, tooLarge(), false);
    }

    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        Object response = super.newContinueResponse(start, maxContentLength, pipeline);
        if (response instanceof FullHttpResponse r && r.status().equals(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE)) {
            r.release();
            // Netty keeps this connection and skips the body if the client sends it anyway.
            return AdminHandler.response(tooLarge(), true);
        }
        return response;
    }

    private Reply tooLarge() {
        return new AdminError(413, "the body is larger than the admin API takes (" + maxBody + " bytes)").reply();
    }
}
