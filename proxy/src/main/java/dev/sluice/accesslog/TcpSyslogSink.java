package dev.sluice.accesslog;

import dev.sluice.config.HostPort;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * ⑦ Syslog over TCP with octet-counting framing (RFC 6587 §3.4.1): {@code LEN SP MSG}, no size
 * limit, one write per batch. A receiver that reads slowly slows the writer, and the queue takes
 * up the difference; one that takes no byte for {@link #STALL_MILLIS} or closes the connection is
 * gone: the batch counts as lost, and the connection is made again after a pause
 * ({@link Reconnector}). Records during the outage are lost too. Bytes the kernel had accepted
 * when the receiver went away are lost without a word, as with any syslog over TCP.
 */
final class TcpSyslogSink extends SyslogSink<TcpSyslogSink.Connection> {

    static final long STALL_MILLIS = 10_000;
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private final LineBuffer frames = new LineBuffer(1 << 16);
    private final LineBuffer one = new LineBuffer(1024);

    TcpSyslogSink(HostPort receiver, SyslogMessage message) {
        super("syslog tcp://" + receiver, message, () -> Connection.open(Reconnector.resolve(receiver)));
    }

    /** A connected socket, written without blocking, and the selector that waits for room in it. */
    record Connection(SocketChannel socket, Selector selector) implements Closeable {

        static Connection open(InetSocketAddress address) throws IOException {
            SocketChannel socket = SocketChannel.open();
            try {
                socket.socket().connect(address, CONNECT_TIMEOUT_MILLIS);
                socket.configureBlocking(false);
                Selector selector = Selector.open();
                socket.register(selector, SelectionKey.OP_WRITE);
                return new Connection(socket, selector);
            } catch (IOException e) {
                try {
                    socket.close();
                } catch (IOException closing) {
                    e.addSuppressed(closing);
                }
                throw e;
            }
        }

        /** Writes all of {@code bytes}, waiting while the receiver takes nothing, up to the stall time. */
        void writeFully(ByteBuffer bytes) throws IOException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STALL_MILLIS);
            while (bytes.hasRemaining()) {
                if (socket.write(bytes) > 0) {
                    deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STALL_MILLIS);
                    continue;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IOException("the receiver took nothing for " + STALL_MILLIS + " ms");
                }
                try {
                    selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                    selector.selectedKeys().clear();
                } catch (ClosedSelectorException e) {
                    throw new IOException("closed while waiting for the receiver", e);
                }
            }
        }

        /** Closes the socket and wakes a writer waiting for room in it. */
        @Override
        public void close() throws IOException {
            try {
                socket.close();
            } finally {
                selector.close(); // wakes a select in progress
            }
        }
    }

    @Override
    void send(Connection c, Batch batch) {
        frames.clear();
        for (int i = 0; i < batch.size(); i++) {
            one.clear();
            message.append(batch, i, one, Integer.MAX_VALUE);
            frames.decimal(one.length()).put(' ').put(one);
        }
        try {
            c.writeFully(frames.slice(0, frames.length()));
        } catch (IOException e) {
            connection.failed(e);
            losses.add(batch.size(), e);
        }
    }

}
