package dev.sluice.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Live traffic from a running Sluice: reads its admin listener's {@code GET /api/live} stream
 * (server-sent events, one JSON object a request) on a thread of its own and hands each request to
 * a consumer, until {@link #close()} or the stream ends. The admin token is sent as a bearer token:
 * live traffic shows request headers, so the proxy asks for it.
 */
public final class LiveFeed implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private final Socket socket;
    private volatile boolean closed;

    private LiveFeed(Socket socket) {
        this.socket = socket;
    }

    /**
     * Connects to the admin listener at {@code admin} and starts reading.
     *
     * @param rate requests a second to be shown at most (the proxy samples beyond that)
     * @param requests gets each request, on the feed's thread
     * @param ended gets why the feed ended (the proxy went away, the stream closed), once; not after {@link #close()}
     * @throws IOException when the admin listener cannot be reached or refuses, with its reason
     */
    public static LiveFeed open(Url admin, String token, int rate, Consumer<LiveRequest> requests,
            Consumer<IOException> ended) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(admin.host(), admin.port() == -1 ? 80 : admin.port()),
                    CONNECT_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/live?rate=" + rate + " HTTP/1.1\r\nHost: " + admin.authority() + "\r\n"
                    + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String status = in.readLine();
            if (status == null || !status.startsWith("HTTP/1.1 200")) {
                throw new IOException("the admin listener at " + admin.authority() + " refused live traffic: "
                        + (status == null ? "it closed the connection" : status + refusal(in)));
            }
            skipHead(in);
            LiveFeed feed = new LiveFeed(socket);
            Thread.ofPlatform().daemon().name("sluice-inspect-live").start(() -> feed.read(in, requests, ended));
            return feed;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private void read(BufferedReader in, Consumer<LiveRequest> requests, Consumer<IOException> ended) {
        try {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("data: ")) { // chunk sizes, blank lines and ": ping" comments pass by
                    requests.accept(parse(JSON.readTree(line.substring("data: ".length()))));
                }
            }
            throw new IOException("the proxy closed the live traffic stream");
        } catch (IOException e) {
            if (!closed) {
                ended.accept(e);
            }
        }
    }

    /**
     * The proxy that the admin listener at {@code admin} belongs to, from its config's
     * {@code listen}; a proxy listening on every address is reached at the admin listener's host.
     *
     * @throws IOException when the admin listener cannot be asked, or answers something else
     */
    public static Url proxyOf(Url admin) throws IOException {
        Url config = new Url(admin.scheme(), admin.host(), admin.port(), "/api/config", null, null);
        Transfer t = Client.create().send(RequestSpec.builder(config).build());
        Response r = t.response().orElseThrow(() -> new IOException("cannot ask " + admin.authority()
                + " for the proxy's address: " + t.failure()));
        if (r.status() != 200) {
            throw new IOException(admin.authority() + "/api/config answered " + r.status() + ", not the config");
        }
        String listen = JSON.readTree(r.body().toByteArray()).path("listen").asText();
        int colon = listen.lastIndexOf(':');
        if (colon < 0) {
            throw new IOException(admin.authority() + "/api/config has no listen address");
        }
        String host = listen.substring(0, colon);
        if (host.equals("0.0.0.0") || host.equals("[::]") || host.equals("::")) {
            host = admin.host();
        }
        int port = Integer.parseInt(listen.substring(colon + 1));
        if (port == 0) {
            throw new IOException("the proxy of " + admin.authority() + " listens on a port the system chose"
                    + " (listen: " + listen + "), which its config does not say");
        }
        return new Url("http", host, port, "/", null, null);
    }

    static LiveRequest parse(JsonNode e) {
        List<Header> headers = new ArrayList<>();
        for (JsonNode h : e.path("headers")) {
            headers.add(new Header(h.path(0).asText(), h.path(1).asText()));
        }
        return new LiveRequest(e.path("time").asText(), e.path("client_ip").asText(), e.path("method").asText(),
                e.path("host").asText(), e.path("path").asText(), e.path("protocol").asText(),
                e.path("status").asInt(), e.path("bytes_out").asLong(), e.path("duration_us").asLong(),
                e.path("backend").asText(), e.path("termination").asText(), headers, e.path("skipped").asLong());
    }

    /** The {@code error} of a JSON refusal after its head, for the message. */
    private static String refusal(BufferedReader in) throws IOException {
        skipHead(in);
        StringBuilder body = new StringBuilder();
        for (String line; body.length() < 4096 && in.ready() && (line = in.readLine()) != null; ) {
            body.append(line);
        }
        int at = body.indexOf("\"error\"");
        return at < 0 ? "" : " (" + JSON.readTree(body.substring(body.indexOf("{"))).path("error").asText() + ")";
    }

    private static void skipHead(BufferedReader in) throws IOException {
        for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) {
            // header fields: nothing in them is needed
        }
    }

    /** Stops reading; the consumers hear no more. */
    @Override
    public void close() throws IOException {
        closed = true;
        socket.close();
    }
}
