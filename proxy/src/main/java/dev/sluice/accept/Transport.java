package dev.sluice.accept;

import dev.sluice.config.TransportChoice;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;

/**
 * ① The socket transport: epoll where available, else the JDK's NIO; io_uring when asked for.
 * Event loops, listeners and upstream connections all use the same one.
 *
 * <p>{@code auto} does not pick io_uring: with Netty 4.2.18 its channels now and then never
 * report a backend's reset that follows a partial response (StreamingTest's backend-dies-mid-body
 * case hangs about one run in three), and a proxy must always notice a dead backend.
 */
public enum Transport {
    IO_URING,
    EPOLL,
    NIO;

    /** The transport for {@code choice}: {@code auto} takes the best available one. */
    public static Transport choose(TransportChoice choice) {
        return switch (choice) {
            case AUTO -> Epoll.isAvailable() ? EPOLL : NIO;
            case IO_URING -> require(IO_URING, IoUring.isAvailable(), IoUring.unavailabilityCause());
            case EPOLL -> require(EPOLL, Epoll.isAvailable(), Epoll.unavailabilityCause());
            case NIO -> NIO;
        };
    }

    private static Transport require(Transport t, boolean available, Throwable cause) {
        if (!available) {
            throw new IllegalStateException("transport " + t.configName() + " is not available here: "
                    + cause + " (use transport: auto)");
        }
        return t;
    }

    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public IoHandlerFactory ioHandlerFactory() {
        return switch (this) {
            case IO_URING -> IoUringIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
        };
    }

    public Class<? extends ServerChannel> serverChannel() {
        return switch (this) {
            case IO_URING -> IoUringServerSocketChannel.class;
            case EPOLL -> EpollServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
        };
    }

    public Class<? extends SocketChannel> socketChannel() {
        return switch (this) {
            case IO_URING -> IoUringSocketChannel.class;
            case EPOLL -> EpollSocketChannel.class;
            case NIO -> NioSocketChannel.class;
        };
    }
}
