package dev.sluice.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.config.UpstreamSettings;
import dev.sluice.testing.OriginServer;
import io.netty.channel.Channel;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link UpstreamPools#idleConnections}, read from another thread, follows what the pools keep and hand out. */
class IdleConnectionsTest {

    @Test
    void countsTheConnectionsKeptIdleOnEveryLoop() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try (OriginServer origin = OriginServer.start("a")) {
            UpstreamPools pools = new UpstreamPools(group, NioSocketChannel.class, PooledByteBufAllocator.DEFAULT,
                    new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {}
            }, UpstreamSettings.DEFAULTS);
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", origin.port());
            EventLoop first = group.next();
            EventLoop second = group.next();
            Channel a = connectAndRelease(pools, first, address);
            Channel b = connectAndRelease(pools, second, address);
            assertThat(pools.idleConnections()).isEqualTo(2);

            assertThat(first.submit(() -> pools.forLoop(first).acquire(address)).get()).isSameAs(a);
            assertThat(pools.idleConnections()).isEqualTo(1);

            pools.closeIdleExcept(kept -> false);
            second.submit(() -> {}).get(); // the close ran on its loop
            assertThat(pools.idleConnections()).isZero();
            assertThat(b.closeFuture().await(5, TimeUnit.SECONDS)).isTrue();
            a.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static Channel connectAndRelease(UpstreamPools pools, EventLoop loop, InetSocketAddress address)
            throws Exception {
        UpstreamPool pool = pools.forLoop(loop);
        Channel ch = loop.submit(() -> pool.connect(address, null)).get().sync().channel();
        loop.submit(() -> pool.release(ch, address)).get();
        return ch;
    }
}
