package dev.sluice.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A tiny origin for {@code sluice demo}: says who it is and what it was asked. */
final class DemoBackend implements AutoCloseable {

    private final String name;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    DemoBackend(String name) throws IOException {
        this.name = name;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        server.setExecutor(threads);
        server.createContext("/", this::answer);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void answer(HttpExchange ex) throws IOException {
        try (ex) {
            ex.getRequestBody().transferTo(OutputStream.nullOutputStream());
            String text = "backend " + name + " (127.0.0.1:" + port() + ") answered " + ex.getRequestMethod() + " "
                    + ex.getRequestURI() + " for Host " + ex.getRequestHeaders().getFirst("Host")
                    + ", client " + ex.getRequestHeaders().getFirst("X-Forwarded-For") + "\n";
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
