package dev.sluice.accesslog;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A syslog receiver on a real socket: UDP, TCP with octet-counting framing (read strictly: a frame
 * that is not {@code NONZERO-DIGIT *DIGIT SP} and that many bytes is an error), or a unix datagram
 * socket. Keeps each message's bytes, in arrival order.
 */
final class SyslogReceiver implements AutoCloseable {

    private final BlockingQueue<byte[]> messages = new ArrayBlockingQueue<>(200_000);
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();
    /**
     * Threads blocked on a socket: a socket closed while a thread is blocked on it is closed for good
     * only when that thread has left, so {@link #close()} waits for them.
     */
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final CountDownLatch reading = new CountDownLatch(1);
    private final String url;
    private int taken;

    private SyslogReceiver(String url) {
        this.url = url;
    }

    /** What {@code access_log.syslog} says to reach it. */
    String url() {
        return url;
    }

    static SyslogReceiver udp() throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        SyslogReceiver receiver = new SyslogReceiver("udp://127.0.0.1:" + socket.getLocalPort());
        receiver.resources.add(socket);
        receiver.reading.countDown();
        receiver.start("test-syslog-udp", () -> {
            byte[] buffer = new byte[65_536];
            while (!socket.isClosed()) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                } catch (IOException e) {
                    receiver.closedOr(e, socket.isClosed());
                    return;
                }
                receiver.messages.add(Arrays.copyOf(buffer, packet.getLength()));
            }
        });
        return receiver;
    }

    /** Listening on {@code port} (0: any), reading at once. */
    static SyslogReceiver tcp(int port) throws IOException {
        SyslogReceiver receiver = tcp(port, 0);
        receiver.reading.countDown();
        return receiver;
    }

    /**
     * Listening with a small receive buffer, but reading nothing until {@link #startReading()}: a
     * receiver that stalls.
     */
    static SyslogReceiver tcpNotReading() throws IOException {
        return tcp(0, 4096);
    }

    private static SyslogReceiver tcp(int port, int receiveBuffer) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true); // a restarted receiver takes the port again
        if (receiveBuffer > 0) {
            server.setReceiveBufferSize(receiveBuffer); // before bind, so accepted sockets start with it
        }
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        SyslogReceiver receiver = new SyslogReceiver("tcp://127.0.0.1:" + server.getLocalPort());
        receiver.resources.add(server);
        receiver.start("test-syslog-tcp", () -> {
            while (!server.isClosed()) {
                Socket socket;
                try {
                    socket = server.accept();
                } catch (IOException e) {
                    receiver.closedOr(e, server.isClosed());
                    return;
                }
                try {
                    // Gone means reset: an orphaned FIN-WAIT-2 connection would hold the port for a
                    // minute, and a receiver started again at once could not listen on it.
                    socket.setSoLinger(true, 0);
                } catch (SocketException e) {
                    receiver.errors.add(e);
                }
                receiver.resources.add(socket);
                receiver.start("test-syslog-tcp-conn", () -> receiver.readFrames(socket));
            }
        });
        return receiver;
    }

    /** Bound to {@code path}, a unix datagram socket. */
    static SyslogReceiver unix(Path path) throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        SyslogReceiver receiver = new SyslogReceiver("unix://" + path);
        receiver.resources.add(() -> group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync());
        Channel channel = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(65_536))
                .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket packet) {
                        receiver.messages.add(ByteBufUtil.getBytes(packet.content()));
                    }
                })
                .bind(new DomainSocketAddress(path.toString())).sync().channel();
        receiver.resources.add(0, () -> channel.close().sync());
        receiver.reading.countDown();
        return receiver;
    }

    private void start(String name, Runnable task) {
        threads.add(Thread.ofPlatform().daemon().name(name).start(task));
    }

    void startReading() {
        reading.countDown();
    }

    /** The next message, waiting at most {@code wait}. */
    byte[] next(Duration wait) throws InterruptedException {
        byte[] message = messages.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (message == null) {
            throw new AssertionError("no syslog message came in " + wait + " to " + url + " after " + taken);
        }
        taken++;
        return message;
    }

    /** The next message if one comes within {@code wait}, else {@code null}. */
    byte[] poll(Duration wait) throws InterruptedException {
        return messages.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    List<Throwable> errors() {
        return errors;
    }

    private void readFrames(Socket socket) {
        try (InputStream in = socket.getInputStream()) {
            reading.await();
            while (true) {
                int first = in.read();
                if (first < 0) {
                    return;
                }
                if (first < '1' || first > '9') {
                    throw new IOException("MSG-LEN starts with " + first + ", not NONZERO-DIGIT");
                }
                long length = first - '0';
                int c;
                while ((c = in.read()) != ' ') {
                    if (c < '0' || c > '9' || length > 100_000_000) {
                        throw new IOException("MSG-LEN goes on with " + c);
                    }
                    length = length * 10 + c - '0';
                }
                byte[] message = in.readNBytes((int) length);
                if (message.length < length) {
                    throw new EOFException("a frame of " + length + " bytes ended after " + message.length);
                }
                messages.add(message);
            }
        } catch (SocketException closed) {
            closedOr(closed, socket.isClosed());
        } catch (IOException | InterruptedException e) {
            errors.add(e);
        }
    }

    private void closedOr(Exception e, boolean closed) {
        if (!closed) {
            errors.add(e);
        }
    }

    @Override
    public void close() throws Exception {
        reading.countDown(); // a reader still waiting to start finds its socket closed and ends
        List<Exception> failures = new ArrayList<>();
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                failures.add(e);
            }
        }
        for (Thread thread : threads) {
            if (!thread.join(Duration.ofSeconds(10))) {
                failures.add(new IOException(thread.getName() + " is still running"));
            }
        }
        if (!failures.isEmpty()) {
            throw new UncheckedIOException(new IOException("closing " + url, failures.getFirst()));
        }
    }
}
