package dev.sluice.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A loopback port where connections are refused, held for as long as this is open: a socket bound
 * to it but not listening. A port merely found free and closed again could be handed to the next
 * bind to port 0 — a proxy started later in the same test — and stop refusing.
 */
public final class RefusingPort implements AutoCloseable {

    private final Socket socket = new Socket();

    private RefusingPort() throws IOException {
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    public static RefusingPort open() {
        try {
            return new RefusingPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
