package dev.sluice.bench;

import dev.sluice.codec.ForwardedHeaders;
import dev.sluice.codec.HopByHopHeaders;
import dev.sluice.codec.RequestValidator;
import dev.sluice.relay.FrontendInitializer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What every request's head costs before it goes upstream: decoding a browser-sized head with the
 * client connection's strict settings ({@link FrontendInitializer#decoderConfig()}), checking it
 * ({@link RequestValidator}), rewriting it (hop-by-hop fields out, forwarding fields in) and
 * encoding it for the backend. Netty's codec runs in an {@link EmbeddedChannel}, as it runs in the
 * pipeline, without sockets.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HeadBenchmark {

    private static final byte[] HEAD = ("GET /api/v1/cart?item=42&ref=home HTTP/1.1\r\n"
            + "Host: shop.example.com\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36\r\n"
            + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
            + "Accept-Language: en-US,en;q=0.9\r\n"
            + "Accept-Encoding: gzip, deflate, br\r\n"
            + "Cookie: session=3f0c9a1b7d2e4c5a; theme=dark\r\n"
            + "Referer: https://shop.example.com/\r\n"
            + "Connection: keep-alive\r\n"
            + "\r\n").getBytes(StandardCharsets.ISO_8859_1);

    private final ForwardedHeaders.Client client =
            ForwardedHeaders.Client.of(new InetSocketAddress("203.0.113.7", 51334), "http");
    private EmbeddedChannel decoder;
    private EmbeddedChannel encoder;

    @Setup(Level.Trial)
    public void open() {
        decoder = new EmbeddedChannel(new HttpRequestDecoder(FrontendInitializer.decoderConfig()));
        encoder = new EmbeddedChannel(new HttpRequestEncoder());
    }

    @TearDown(Level.Trial)
    public void close() {
        decoder.finishAndReleaseAll();
        encoder.finishAndReleaseAll();
    }

    /** Decode only: the head read into a request. */
    @Benchmark
    public Object decode() {
        decoder.writeInbound(Unpooled.wrappedBuffer(HEAD));
        HttpRequest request = decoder.readInbound();
        ((LastHttpContent) decoder.readInbound()).release();
        return request;
    }

    /** The whole way: decode, check, rewrite, encode; the bytes the backend would get. */
    @Benchmark
    public int decodeCheckRewriteEncode() {
        decoder.writeInbound(Unpooled.wrappedBuffer(HEAD));
        HttpRequest request = decoder.readInbound();
        HttpContent last = decoder.readInbound();
        if (RequestValidator.problem(request) != null) {
            throw new IllegalStateException("a valid head was refused");
        }
        HopByHopHeaders.strip(request.headers());
        ForwardedHeaders.add(request.headers(), client, "shop.example.com");
        encoder.writeOutbound(request, last);
        int size = 0;
        for (ByteBuf b; (b = encoder.readOutbound()) != null; ) {
            size += b.readableBytes();
            b.release();
        }
        return size;
    }
}
