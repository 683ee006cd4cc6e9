package dev.sluice.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP/1.1 origin on loopback (the JDK's server, one virtual thread per exchange).
 * Built-in paths:
 * <ul>
 *   <li>any path: {@code 200} with a body of lines {@code origin: NAME}, {@code method: M},
 *       {@code uri: U}, then {@code header: name: value} for every request header</li>
 *   <li>{@code /bytes/N}: N bytes of {@link Bytes#pattern}, with Content-Length</li>
 *   <li>{@code /chunked/N}: the same, chunked</li>
 *   <li>{@code /upload}: reads the whole body; answers {@code length sha256hex}</li>
 * </ul>
 * Records the client ports it saw (one per upstream connection) and counts requests.
 */
public final class OriginServer implements AutoCloseable {

    private final String name;
    private final HttpServer server;
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicLong bodyBytesWritten = new AtomicLong();
    private final List<String> seenUris = new CopyOnWriteArrayList<>();

    private OriginServer(String name, int port, Map<String, HttpHandler> extra) throws IOException {
        this.name = name;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        extra.forEach(server::createContext);
        server.start();
    }

    public static OriginServer start(String name) {
        return start(name, Map.of());
    }

    /** An origin with extra handlers by path prefix. */
    public static OriginServer start(String name, Map<String, HttpHandler> extra) {
        return start(name, 0, extra);
    }

    /** An origin on {@code port}: a backend that comes back where it was. */
    public static OriginServer start(String name, int port, Map<String, HttpHandler> extra) {
        try {
            return new OriginServer(name, port, extra);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String name() {
        return name;
    }

    public int requests() {
        return requests.get();
    }

    /** Distinct upstream connections this origin has seen. */
    public int connections() {
        return clientPorts.size();
    }

    /** Body bytes of {@code /bytes} and {@code /chunked} responses written so far. */
    public long bodyBytesWritten() {
        return bodyBytesWritten.get();
    }

    public List<String> uris() {
        return seenUris;
    }

    private void handle(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        clientPorts.add(ex.getRemoteAddress().getPort());
        String path = ex.getRequestURI().getRawPath();
        seenUris.add(ex.getRequestURI().toString());
        try (ex) {
            if (path.startsWith("/bytes/")) {
                long n = Long.parseLong(path.substring(7));
                ex.sendResponseHeaders(200, n == 0 ? -1 : n);
                Bytes.writePattern(ex.getResponseBody(), n, bodyBytesWritten::addAndGet);
            } else if (path.startsWith("/chunked/")) {
                long n = Long.parseLong(path.substring(9));
                ex.sendResponseHeaders(200, 0);
                Bytes.writePattern(ex.getResponseBody(), n, bodyBytesWritten::addAndGet);
            } else if (path.equals("/upload")) {
                MessageDigest sha = Bytes.sha256();
                long length = 0;
                byte[] buf = new byte[64 * 1024];
                try (InputStream in = ex.getRequestBody()) {
                    for (int r; (r = in.read(buf)) > 0; ) {
                        sha.update(buf, 0, r);
                        length += r;
                    }
                }
                reply(ex, length + " " + HexFormat.of().formatHex(sha.digest()));
            } else {
                ex.getRequestBody().transferTo(OutputStream.nullOutputStream());
                StringBuilder b = new StringBuilder()
                        .append("origin: ").append(name).append('\n')
                        .append("method: ").append(ex.getRequestMethod()).append('\n')
                        .append("uri: ").append(ex.getRequestURI()).append('\n');
                ex.getRequestHeaders().forEach((k, vs) -> vs.forEach(
                        v -> b.append("header: ").append(k.toLowerCase()).append(": ").append(v).append('\n')));
                ex.getResponseHeaders().set("X-Origin", name);
                reply(ex, b.toString());
            }
        }
    }

    private static void reply(HttpExchange ex, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain");
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(200, -1);
            return;
        }
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
