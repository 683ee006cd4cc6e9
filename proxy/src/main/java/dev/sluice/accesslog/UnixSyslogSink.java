package dev.sluice.accesslog;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * ⑦ Syslog to a local unix datagram socket such as {@code /dev/log}: one datagram per record, at
 * most {@link SyslogMessage#MAX_DATAGRAM} bytes. The JDK has no unix datagram sockets, so this uses
 * Netty's epoll channel, on an event loop of its own (one thread), never the proxy's.
 *
 * <p>The socket is connected, so the kernel makes the writer wait while the receiver's queue is
 * full; the writer waits at most {@link TcpSyslogSink#STALL_MILLIS} for it, as for TCP. A receiver
 * that went away (refused) or stalls is connected to again after a pause ({@link Reconnector}):
 * a restarted journald or rsyslog has a new socket at the same path.
 */
final class UnixSyslogSink extends SyslogSink<UnixSyslogSink.Connection> {

    private static final long CONNECT_TIMEOUT_MILLIS = 5_000;

    private final EventLoopGroup group;
    private final LineBuffer datagram = new LineBuffer(SyslogMessage.MAX_DATAGRAM);

    private UnixSyslogSink(Path socket, SyslogMessage message) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("sluice-access-log-unix", true), EpollIoHandler.newFactory());
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(EpollDomainDatagramChannel.class)
                .option(ChannelOption.AUTO_READ, false)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        // nothing in the pipeline: the socket only sends
                    }
                });
        DomainSocketAddress address = new DomainSocketAddress(socket.toString());
        super("syslog unix://" + socket, message, () -> Connection.open(bootstrap, address));
        this.group = group;
    }

    /** @throws IOException when this platform has no epoll (it is Linux only) */
    static UnixSyslogSink open(Path socket, SyslogMessage message) throws IOException {
        if (!Epoll.isAvailable()) {
            throw new IOException("syslog to unix://" + socket + " needs Netty's epoll transport, which is not"
                    + " available here: " + Epoll.unavailabilityCause());
        }
        return new UnixSyslogSink(socket, message);
    }

    /** A connected channel, and the first write failure seen on it (from its event loop). */
    record Connection(Channel channel, AtomicReference<Throwable> broken) implements Closeable {

        static Connection open(Bootstrap bootstrap, DomainSocketAddress address) throws IOException {
            ChannelFuture connect = bootstrap.connect(address);
            if (!connect.awaitUninterruptibly(CONNECT_TIMEOUT_MILLIS) || !connect.isSuccess()) {
                connect.channel().close();
                Throwable cause = connect.cause();
                throw cause instanceof IOException io ? io
                        : new IOException("could not connect to " + address.path(), cause);
            }
            return new Connection(connect.channel(), new AtomicReference<>());
        }

        @Override
        public void close() {
            channel.close(); // datagrams not yet sent fail, and are counted as lost by their listeners
        }
    }

    @Override
    void send(Connection c, Batch batch) {
        Channel channel = c.channel();
        ChannelFuture last = null;
        for (int i = 0; i < batch.size(); i++) {
            // Bounded: past the channel's high water mark, wait until what was written went out.
            if (!channel.isWritable() && last != null && !sent(channel, last)) {
                stalled(batch.size() - i);
                return;
            }
            datagram.clear();
            message.append(batch, i, datagram, SyslogMessage.MAX_DATAGRAM);
            ByteBuf buf = channel.alloc().directBuffer(datagram.length());
            buf.writeBytes(datagram.array(), 0, datagram.length());
            last = channel.write(buf).addListener(f -> {
                if (!f.isSuccess()) {
                    losses.add(1, f.cause());
                    c.broken().compareAndSet(null, f.cause());
                }
            });
        }
        if (last != null && !sent(channel, last)) {
            stalled(0);
            return;
        }
        Throwable broken = c.broken().get();
        if (broken != null) {
            connection.failed(broken instanceof IOException io ? io : new IOException(broken));
        }
    }

    /** Flushes and waits, at most the stall time, until {@code last} went out (or failed). */
    private static boolean sent(Channel channel, ChannelFuture last) {
        channel.flush();
        return last.awaitUninterruptibly(TcpSyslogSink.STALL_MILLIS);
    }

    private void stalled(int unwritten) {
        IOException stall = new IOException("the receiver took nothing for " + TcpSyslogSink.STALL_MILLIS + " ms");
        connection.failed(stall);
        if (unwritten > 0) {
            losses.add(unwritten, stall);
        }
    }

    @Override
    public void close() {
        super.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
}
