package dev.sluice.testing;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A raw-socket HTTP/1.1 client for tests that need to see or send exact bytes: pipelining,
 * hop-by-hop headers, malformed input. Reads responses framed by Content-Length, chunked, or close.
 */
public final class WireClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private long sent;
    private long read;

    public WireClient(int port) throws IOException {
        this(null, port);
    }

    /** A client whose connection comes from {@code localAddress}: another client, as far as the proxy knows. */
    public static WireClient from(String localAddress, int port) throws IOException {
        return new WireClient(new InetSocketAddress(localAddress, 0), port);
    }

    /**
     * A client that takes little at a time: its socket's receive buffer is {@code bytes}, so what
     * it does not read stays with the sender instead of in its own kernel.
     */
    public static WireClient withReceiveBuffer(int bytes, int port) throws IOException {
        return new WireClient(null, port, bytes);
    }

    private WireClient(InetSocketAddress local, int port) throws IOException {
        this(local, port, 0);
    }

    private WireClient(InetSocketAddress local, int port, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer); // before connecting, so the window is small from the start
        }
        socket.bind(local); // null: any, which is 127.0.0.1 towards 127.0.0.1
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(20_000);
        in = new FilterInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024)) {
            // Counts what the parsing takes, so each response's wire size is known.
            @Override
            public int read() throws IOException {
                int b = super.read();
                read += b < 0 ? 0 : 1;
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                read += Math.max(0, n);
                return n;
            }
        };
        out = socket.getOutputStream();
    }

    public WireClient send(String raw) throws IOException {
        return send(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    public WireClient send(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
        sent += raw.length;
        return this;
    }

    /** Bytes sent so far. */
    public long bytesSent() {
        return sent;
    }

    /** Bytes of responses read so far: after a {@link #read}, all of its response, to the byte. */
    public long bytesRead() {
        return read;
    }

    public InputStream input() {
        return in;
    }

    public Socket socket() {
        return socket;
    }

    /** A {@code GET path} with {@code Host: host}, as a pipelinable string. */
    public static String get(String host, String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n";
    }

    /** Reads one whole response (after any 1xx responses, which are kept in {@link Response#informational}). */
    public Response read() throws IOException {
        return read(false);
    }

    /** Reads one response to a HEAD request (no body whatever the headers say). */
    public Response readHead() throws IOException {
        return read(true);
    }

    private Response read(boolean head) throws IOException {
        List<Integer> informational = new ArrayList<>();
        while (true) {
            String statusLine = line();
            if (statusLine == null) {
                throw new IOException("connection closed before a response");
            }
            int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (String l; !(l = line()).isEmpty(); ) {
                int colon = l.indexOf(':');
                headers.computeIfAbsent(l.substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(l.substring(colon + 1).strip());
            }
            if (status < 200) {
                informational.add(status);
                continue;
            }
            byte[] body;
            boolean complete = true;
            String te = first(headers, "transfer-encoding");
            String cl = first(headers, "content-length");
            if (head || status == 204 || status == 304) {
                body = new byte[0];
            } else if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                complete = readChunked(b);
                body = b.toByteArray();
            } else if (cl != null) {
                int n = Integer.parseInt(cl);
                body = in.readNBytes(n);
                complete = body.length == n;
            } else {
                body = in.readAllBytes();
            }
            return new Response(statusLine, status, headers, body, complete, informational);
        }
    }

    private boolean readChunked(ByteArrayOutputStream b) throws IOException {
        while (true) {
            String sizeLine = line();
            if (sizeLine == null) {
                return false;
            }
            int semi = sizeLine.indexOf(';');
            int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).strip(), 16);
            if (size == 0) {
                while (true) {
                    String trailer = line();
                    if (trailer == null) {
                        return false;
                    }
                    if (trailer.isEmpty()) {
                        return true;
                    }
                }
            }
            byte[] chunk = in.readNBytes(size);
            b.write(chunk);
            if (chunk.length < size || line() == null) {
                return false;
            }
        }
    }

    /** One CRLF-terminated line, or null at the end of the stream. */
    private String line() throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) >= 0; ) {
            if (c == '\n') {
                int len = b.length();
                return len > 0 && b.charAt(len - 1) == '\r' ? b.substring(0, len - 1) : b.toString();
            }
            b.append((char) c);
        }
        return b.isEmpty() ? null : b.toString();
    }

    /** True when the server closed the connection (reads end of stream within the socket timeout). */
    public boolean closedByPeer() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException e) {
            return true; // reset
        }
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> v = headers.get(name);
        return v == null ? null : v.get(0);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** A response as it came off the wire. */
    public record Response(String statusLine, int status, Map<String, List<String>> headers, byte[] body,
            boolean complete, List<Integer> informational) {

        public String header(String name) {
            return first(headers, name.toLowerCase(Locale.ROOT));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The value of a {@code key: value} line of an {@link OriginServer} echo body. */
        public String echoed(String key) {
            for (String line : text().split("\n")) {
                if (line.startsWith(key + ": ")) {
                    return line.substring(key.length() + 2);
                }
            }
            return null;
        }

        /** The request header {@code name} as the origin received it, from an echo body. */
        public List<String> seenHeader(String name) {
            List<String> values = new ArrayList<>();
            String prefix = "header: " + name.toLowerCase(Locale.ROOT) + ": ";
            for (String line : text().split("\n")) {
                if (line.startsWith(prefix)) {
                    values.add(line.substring(prefix.length()));
                }
            }
            return values;
        }
    }
}
