package dev.sluice.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpResponse;
import java.util.Map;

/**
 * ⑥ Encodes a 1xx response (RFC 9110 §15.2) to bytes. The server codec counts every response it
 * encodes against a queued request, but a 1xx is not the answer to its request; writing it as
 * bytes keeps that count — and the HEAD handling that depends on it — right.
 */
final class InformationalResponse {

    private InformationalResponse() {}

    static ByteBuf encode(HttpResponse response, ByteBufAllocator alloc) {
        ByteBuf buf = alloc.buffer(64);
        ByteBufUtil.writeAscii(buf, "HTTP/1.1 ");
        ByteBufUtil.writeAscii(buf, response.status().toString());
        buf.writeByte('\r').writeByte('\n');
        for (Map.Entry<String, String> h : response.headers()) {
            ByteBufUtil.writeAscii(buf, h.getKey());
            buf.writeByte(':').writeByte(' ');
            ByteBufUtil.writeUtf8(buf, h.getValue());
            buf.writeByte('\r').writeByte('\n');
        }
        buf.writeByte('\r').writeByte('\n');
        return buf;
    }
}
