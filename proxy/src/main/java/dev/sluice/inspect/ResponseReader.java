package dev.sluice.inspect;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one HTTP/1.x response from a stream: interim 1xx heads, the final head, and the body as
 * its framing says (RFC 9112 §6.3). Lenient where curl is (a bare LF ends a line, folded header
 * lines are joined, a missing reason phrase is fine), strict where a reading could be wrong
 * (Content-Length values that disagree). After a failure, {@link #partial()} holds what was read.
 */
final class ResponseReader {

    /** The most a status line and its headers may take, each head. */
    static final int MAX_HEAD = 1 << 20;

    private static final Pattern STATUS = Pattern.compile("(HTTP/\\d(?:\\.\\d)?) (\\d{3})(?: (.*))?");

    private final InputStream in;
    private final long maxBody;
    private final List<ResponseHead> informational = new ArrayList<>();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final List<Header> trailers = new ArrayList<>();
    private ResponseHead head;
    private Framing framing = Framing.NONE;
    private boolean anyByte;

    ResponseReader(InputStream in, long maxBody) {
        this.in = in;
        this.maxBody = maxBody;
    }

    /** The response to a request; {@code headRequest} when it was a HEAD, whose response has no body. */
    Response read(boolean headRequest) throws IOException, ExchangeFailed {
        while (true) {
            ResponseHead h = readHead();
            if (h.status() >= 100 && h.status() < 200 && h.status() != 101) {
                informational.add(h);
                continue;
            }
            head = h;
            break;
        }
        framing = framing(headRequest);
        switch (framing) {
            case NONE -> { }
            case CONTENT_LENGTH -> readFixed(contentLength());
            case CHUNKED -> readChunked();
            case CLOSE -> readToEnd();
        }
        return response(true);
    }

    /** What was read of the response, once its head was; else null. */
    Response partial() {
        return head == null ? null : response(false);
    }

    private Response response(boolean complete) {
        ByteString entity = ByteString.wrap(body.toByteArray());
        return new Response(head, informational, framing, entity, entity, trailers, complete);
    }

    private ResponseHead readHead() throws IOException, ExchangeFailed {
        int[] size = {0};
        String statusLine = line(size);
        if (statusLine == null) {
            throw new ExchangeFailed(anyByte ? Failure.Kind.PARTIAL : Failure.Kind.EMPTY_REPLY,
                    anyByte ? "the connection closed before the response head was complete" : "Empty reply from server");
        }
        Matcher m = STATUS.matcher(statusLine);
        if (!m.matches()) {
            throw new ExchangeFailed(Failure.Kind.WEIRD_REPLY, "the server's answer does not start with an HTTP/1.x"
                    + " status line: \"" + Visible.of(statusLine, 80) + "\"");
        }
        List<Header> headers = new ArrayList<>();
        while (true) {
            String line = line(size);
            if (line == null) {
                throw new ExchangeFailed(Failure.Kind.PARTIAL, "the connection closed in the response head");
            }
            if (line.isEmpty()) {
                break;
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && !headers.isEmpty()) {
                Header last = headers.removeLast(); // obsolete line folding (RFC 9112 §5.2): one value
                headers.add(new Header(last.name(), last.value() + " " + line.strip()));
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new ExchangeFailed(Failure.Kind.WEIRD_REPLY, "a response header line without a name and colon: \""
                        + Visible.of(line, 80) + "\"");
            }
            headers.add(new Header(line.substring(0, colon).strip(), line.substring(colon + 1).strip()));
        }
        return new ResponseHead(statusLine, m.group(1), Integer.parseInt(m.group(2)), m.group(3) == null ? "" : m.group(3),
                headers, size[0]);
    }

    private Framing framing(boolean headRequest) {
        int s = head.status();
        if (headRequest || s < 200 || s == 204 || s == 304) {
            return Framing.NONE;
        }
        String te = null;
        for (Header h : head.headers()) {
            if (h.named("Transfer-Encoding")) {
                te = h.value();
            }
        }
        if (te != null) {
            return te.toLowerCase(Locale.ROOT).strip().endsWith("chunked") ? Framing.CHUNKED : Framing.CLOSE;
        }
        return head.header("Content-Length").isPresent() ? Framing.CONTENT_LENGTH : Framing.CLOSE;
    }

    private long contentLength() throws ExchangeFailed {
        String value = null;
        for (Header h : head.headers()) {
            if (h.named("Content-Length")) {
                for (String v : h.value().split(",")) {
                    String t = v.strip();
                    if (t.isEmpty() || t.length() > 18 || !t.chars().allMatch(c -> c >= '0' && c <= '9')
                            || (value != null && !value.equals(t))) {
                        throw new ExchangeFailed(Failure.Kind.WEIRD_REPLY, "the response's Content-Length is not one"
                                + " number: " + Visible.of(h.value(), 80));
                    }
                    value = t;
                }
            }
        }
        return Long.parseLong(value);
    }

    private void readFixed(long length) throws IOException, ExchangeFailed {
        checkSize(length);
        long left = length;
        byte[] buf = new byte[(int) Math.min(64 * 1024, Math.max(1, left))];
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new ExchangeFailed(Failure.Kind.PARTIAL, "transfer closed with " + left + " bytes remaining to read");
            }
            body.write(buf, 0, n);
            left -= n;
        }
    }

    private void readChunked() throws IOException, ExchangeFailed {
        int[] size = {0};
        while (true) {
            String line = line(size);
            if (line == null) {
                throw new ExchangeFailed(Failure.Kind.PARTIAL, "transfer closed before the last chunk");
            }
            int semi = line.indexOf(';');
            String hex = (semi < 0 ? line : line.substring(0, semi)).strip();
            if (hex.isEmpty() || hex.length() > 15 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw new ExchangeFailed(Failure.Kind.WEIRD_REPLY, "a chunk size that is not hexadecimal: \""
                        + Visible.of(line, 40) + "\"");
            }
            long n = Long.parseLong(hex, 16);
            if (n == 0) {
                readTrailers(size);
                return;
            }
            checkSize(body.size() + n);
            readFixed(n);
            String end = line(size);
            if (end == null) {
                throw new ExchangeFailed(Failure.Kind.PARTIAL, "transfer closed after a chunk");
            }
            if (!end.isEmpty()) {
                throw new ExchangeFailed(Failure.Kind.WEIRD_REPLY, "a chunk longer than its size said");
            }
        }
    }

    private void readTrailers(int[] size) throws IOException, ExchangeFailed {
        while (true) {
            String line = line(size);
            if (line == null || line.isEmpty()) {
                return; // a close right after the last chunk ends the body too
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                trailers.add(new Header(line.substring(0, colon).strip(), line.substring(colon + 1).strip()));
            }
        }
    }

    private void readToEnd() throws IOException, ExchangeFailed {
        byte[] buf = new byte[64 * 1024];
        for (int n; (n = in.read(buf)) >= 0; ) {
            checkSize(body.size() + (long) n);
            body.write(buf, 0, n);
        }
    }

    private void checkSize(long bytes) throws ExchangeFailed {
        if (bytes > maxBody) {
            throw new ExchangeFailed(Failure.Kind.TOO_LARGE, "Maximum file size exceeded: the body is more than "
                    + maxBody + " bytes (--max-filesize)");
        }
    }

    /** One line without its CR LF (a bare LF ends one too), or null at the end of the stream before any byte. */
    private String line(int[] size) throws IOException, ExchangeFailed {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        for (int c; (c = in.read()) >= 0; ) {
            anyByte = true;
            if (++size[0] > MAX_HEAD) {
                throw new ExchangeFailed(Failure.Kind.WEIRD_REPLY, "a response head larger than " + MAX_HEAD + " bytes");
            }
            if (c == '\n') {
                byte[] bytes = b.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return LosslessUtf8.decode(bytes, 0, len);
            }
            b.write(c);
        }
        return null;
    }
}
