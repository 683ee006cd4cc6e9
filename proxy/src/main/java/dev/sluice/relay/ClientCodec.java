package dev.sluice.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;
import java.util.List;

/**
 * ② The HTTP/1.1 codec of a client connection: Netty's request decoder and response encoder, as
 * {@code HttpServerCodec} pairs them (a response to HEAD has no body), and a count of the bytes the
 * decoder has taken from the wire, so each request's wire size is known even when requests come
 * pipelined in one read.
 *
 * <p>The decoder emits the messages of one request per decode step, and they are passed on before
 * the next step: when a request's last content reaches the next handler, {@link #bytesDecoded()}
 * is exactly the wire bytes up to its end.
 */
final class ClientCodec extends CombinedChannelDuplexHandler<ClientCodec.RequestDecoder, ClientCodec.ResponseEncoder> {

    /** Methods of requests decoded and not yet answered; as many as requests the relay holds. */
    private final ArrayDeque<HttpMethod> methods = new ArrayDeque<>(4);
    private long decoded;
    /**
     * Where each request decoded and not yet taken ends on the wire, oldest first: a ring of
     * primitives, so a request costs no boxed number. As many as requests the relay holds.
     */
    private long[] ends = new long[2];
    private int firstEnd;
    private int endCount;

    ClientCodec(HttpDecoderConfig config) {
        init(new RequestDecoder(config), new ResponseEncoder());
    }

    /** Bytes the decoder has taken from the connection so far. */
    long bytesDecoded() {
        return decoded;
    }

    /** Where the oldest request not yet taken ends on the wire: call once per last content taken. */
    long takeRequestEnd() {
        long end = ends[firstEnd];
        firstEnd = (firstEnd + 1) % ends.length;
        endCount--;
        return end;
    }

    /** Forgets the ends of requests that will not be taken (the connection is closing). */
    void dropRequestEnds() {
        endCount = 0;
    }

    private void requestEnded() {
        if (endCount == ends.length) {
            long[] grown = new long[ends.length * 2];
            for (int i = 0; i < endCount; i++) {
                grown[i] = ends[(firstEnd + i) % ends.length];
            }
            ends = grown;
            firstEnd = 0;
        }
        ends[(firstEnd + endCount) % ends.length] = decoded;
        endCount++;
    }

    final class RequestDecoder extends HttpRequestDecoder {
        RequestDecoder(HttpDecoderConfig config) {
            super(config);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
            int start = buffer.readerIndex();
            int before = out.size();
            super.decode(ctx, buffer, out);
            decoded += buffer.readerIndex() - start;
            for (int i = before; i < out.size(); i++) {
                Object m = out.get(i);
                if (m instanceof HttpRequest request) {
                    methods.add(request.method());
                }
                if (m instanceof LastHttpContent) {
                    requestEnded(); // handed on before the next decode step: this is where it ends
                }
            }
        }
    }

    final class ResponseEncoder extends HttpResponseEncoder {
        @Override
        protected boolean isContentAlwaysEmpty(HttpResponse msg) {
            if (msg.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                return super.isContentAlwaysEmpty(msg); // not the answer to a request
            }
            return HttpMethod.HEAD.equals(methods.poll()) || super.isContentAlwaysEmpty(msg);
        }
    }
}
