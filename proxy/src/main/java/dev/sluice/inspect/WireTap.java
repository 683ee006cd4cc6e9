package dev.sluice.inspect;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Sits on a socket's streams and keeps every byte that passes, in order, exactly as the socket
 * took or gave it; tells the watchdog bytes moved, and notes when the first byte came in. What
 * is kept coming in has a bound: past it, reading fails.
 */
final class WireTap {

    /** Reading past the bound of what is kept. */
    static final class LimitReached extends IOException {
        LimitReached(String message) {
            super(message, null);
        }
    }

    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final long maxReceived;
    private final Watchdog dog;
    private volatile long firstByte; // System.nanoTime, or 0 before any

    WireTap(long maxReceived, Watchdog dog) {
        this.maxReceived = maxReceived;
        this.dog = dog;
    }

    InputStream input(InputStream socketIn) {
        return new FilterInputStream(socketIn) {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    if (firstByte == 0) {
                        firstByte = System.nanoTime();
                    }
                    if (received.size() + (long) n > maxReceived) {
                        throw new LimitReached("the response took more than " + maxReceived + " bytes on the wire");
                    }
                    received.write(b, off, n);
                    dog.progress();
                }
                return n;
            }
        };
    }

    OutputStream output(OutputStream socketOut) {
        return new FilterOutputStream(socketOut) {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                sent.write(b, off, len);
                dog.progress();
            }
        };
    }

    ByteString sent() {
        return ByteString.wrap(sent.toByteArray());
    }

    ByteString received() {
        return ByteString.wrap(received.toByteArray());
    }

    /** When the first byte came in (System.nanoTime), or 0. */
    long firstByte() {
        return firstByte;
    }
}
