package dev.sluice.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend that misbehaves on purpose: each accepted connection runs a script on a virtual
 * thread with the raw socket (die mid-body, answer garbage, never answer…).
 */
public final class RawServer implements AutoCloseable {

    /** What to do with one connection. */
    @FunctionalInterface
    public interface Script {
        void run(Socket socket) throws Exception;
    }

    private final ServerSocket listener;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger accepted = new AtomicInteger();

    private RawServer(Script script) throws IOException {
        listener = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
        threads.execute(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket s = listener.accept();
                    accepted.incrementAndGet();
                    threads.execute(() -> {
                        try (s) {
                            script.run(s);
                        } catch (Exception e) {
                            // the script's peer went away; nothing to do
                        }
                    });
                } catch (IOException e) {
                    return; // closed
                }
            }
        });
    }

    public static RawServer start(Script script) {
        try {
            return new RawServer(script);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    public int accepted() {
        return accepted.get();
    }

    /** Reads one request head (through the blank line) from {@code in}. */
    public static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 0;
        for (int c; (c = in.read()) >= 0; ) {
            b.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) ? state + 1
                    : (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
            if (state == 4) {
                break;
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        listener.close();
        threads.shutdownNow();
    }
}
