package dev.sluice.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Valid HTTP/1.1 requests drawn at random — methods, targets, fields, bodies with
 * {@code Content-Length} or chunked with extensions and trailers — and mutations of their bytes,
 * for fuzzing the proxy's request parsing.
 */
public final class RandomRequests {

    private static final String TCHAR = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String PCHAR = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@";
    private static final String VCHAR;
    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "PURGE"};
    /** Fields the proxy sets, removes or reads for framing; random fields stay clear of them. */
    private static final List<String> RESERVED = List.of("host", "content-length", "transfer-encoding",
            "connection", "keep-alive", "te", "trailer", "upgrade", "expect", "forwarded", "via",
            "proxy-connection", "proxy-authorization", "proxy-authenticate", "x-forwarded-for",
            "x-forwarded-proto", "x-forwarded-host", "x-request-id");
    /** Bytes that mean something to an HTTP parser, for mutations. */
    private static final byte[] SIGNIFICANT = {'\r', '\n', 0, ' ', '\t', ':', ';', '"', ',', '0', 'f', 'x', '-', '+',
        0x0b, 0x0c, 0x7f, (byte) 0x80, (byte) 0xff, '=', '/', '?', '#', '\\'};
    /** Lines that change how a message is framed, for mutations. */
    private static final String[] FRAMING_LINES = {"Content-Length: 5", "Content-Length: 0", "Content-Length: -1",
        "Content-Length: 1, 1", "Transfer-Encoding: chunked", "Transfer-Encoding: gzip, chunked",
        "Transfer-Encoding: chunked, identity", "Transfer-Encoding : chunked", " folded", "\tfolded: x",
        "X-A: a\rb", "Host: other.example", "Expect: 100-continue", "Connection: close", ": empty",
        "Transfer-Encoding:\u000bchunked", "Content-Length: 99999999999999999999"};

    static {
        StringBuilder b = new StringBuilder();
        for (char c = 0x21; c < 0x7f; c++) {
            b.append(c);
        }
        VCHAR = b.toString();
    }

    /** One generated request: its bytes, and what a backend should receive of it. */
    public record Request(byte[] wire, String method, String target, Map<String, String> fields, byte[] body) {}

    private final RandomGenerator random;

    public RandomRequests(RandomGenerator random) {
        this.random = random;
    }

    /** A valid request to a path under {@code prefix}. */
    public Request next(String prefix) {
        String method = METHODS[random.nextInt(METHODS.length)];
        String target = prefix + word(PCHAR, 0, 30) + (random.nextBoolean() ? "" : "?" + query());
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = random.nextInt(8); i > 0; i--) {
            String name = word(TCHAR, 1, 20).toLowerCase(Locale.ROOT);
            if (!RESERVED.contains(name) && !name.startsWith("proxy-") && !fields.containsKey(name)) {
                fields.put(name, value());
            }
        }
        byte[] body = new byte[random.nextInt(4) == 0 ? 0 : random.nextInt(5000)];
        random.nextBytes(body);
        boolean chunked = body.length > 0 && random.nextBoolean();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, method + " " + target + " HTTP/1.1\r\n");
        write(out, (random.nextBoolean() ? "Host" : "host") + ": " + word("abcdefghijklmnopqrstuvwxyz", 1, 12)
                + ".test\r\n");
        fields.forEach((name, value) -> write(out, name + ":" + (random.nextBoolean() ? " " : "") + value + "\r\n"));
        if (chunked) {
            write(out, "Transfer-Encoding: chunked\r\n\r\n");
            writeChunked(out, body);
        } else {
            if (body.length > 0 || random.nextBoolean()) {
                write(out, "Content-Length: " + body.length + "\r\n");
            }
            write(out, "\r\n");
            out.writeBytes(body);
        }
        return new Request(out.toByteArray(), method, target, fields, body);
    }

    /** {@code request} with one to three random changes: bytes replaced, added, removed, lines added, cut short. */
    public byte[] mutate(byte[] request) {
        byte[] b = request;
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            int at = random.nextInt(b.length);
            b = switch (random.nextInt(7)) {
                case 0 -> replace(b, at, significant());
                case 1 -> splice(b, at, 0, new byte[] {significant()});
                case 2 -> splice(b, at, 1, new byte[0]);
                case 3 -> splice(b, lineStart(b, at), 0, (FRAMING_LINES[random.nextInt(FRAMING_LINES.length)] + "\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                case 4 -> splice(b, at, b.length - at, new byte[0]);
                case 5 -> replace(b, at, (byte) (Character.isUpperCase(b[at]) ? Character.toLowerCase(b[at])
                        : Character.toUpperCase(b[at])));
                default -> duplicateLine(b, at);
            };
            if (b.length == 0) {
                return request;
            }
        }
        return b;
    }

    private void writeChunked(ByteArrayOutputStream out, byte[] body) {
        for (int off = 0; off < body.length; ) {
            int size = Math.min(body.length - off, 1 + random.nextInt(1500));
            String hex = Integer.toHexString(size);
            write(out, "0".repeat(random.nextInt(3)) + (random.nextBoolean() ? hex : hex.toUpperCase(Locale.ROOT))
                    + extension() + "\r\n");
            out.write(body, off, size);
            write(out, "\r\n");
            off += size;
        }
        write(out, "0" + extension() + "\r\n");
        if (random.nextInt(3) == 0) {
            write(out, "x-trailer-" + word("abc", 1, 4) + ": " + value() + "\r\n");
        }
        write(out, "\r\n");
    }

    private String extension() {
        return switch (random.nextInt(4)) {
            case 0 -> ";" + word(TCHAR, 1, 8);
            case 1 -> ";" + word(TCHAR, 1, 8) + "=" + word(TCHAR, 1, 8);
            case 2 -> ";" + word(TCHAR, 1, 8) + "=\"" + word(PCHAR, 0, 8) + "\"";
            default -> "";
        };
    }

    private String query() {
        StringBuilder b = new StringBuilder();
        for (int i = random.nextInt(30); i > 0; i--) {
            b.append(random.nextInt(10) == 0 ? "%" + String.format("%02X", random.nextInt(256))
                    : String.valueOf(PCHAR.charAt(random.nextInt(PCHAR.length()))));
        }
        return b.toString();
    }

    /** Visible characters with single spaces inside; none at either end. */
    private String value() {
        StringBuilder b = new StringBuilder(word(VCHAR, 1, 20));
        for (int i = random.nextInt(3); i > 0; i--) {
            b.append(' ').append(word(VCHAR, 1, 10));
        }
        return b.toString();
    }

    private String word(String alphabet, int min, int max) {
        StringBuilder b = new StringBuilder();
        for (int i = min + random.nextInt(max - min + 1); i > 0; i--) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    private byte significant() {
        return random.nextInt(4) == 0 ? (byte) random.nextInt(256) : SIGNIFICANT[random.nextInt(SIGNIFICANT.length)];
    }

    private byte[] duplicateLine(byte[] b, int at) {
        int start = lineStart(b, at);
        int end = start;
        while (end < b.length && b[end] != '\n') {
            end++;
        }
        byte[] line = Arrays.copyOfRange(b, start, Math.min(b.length, end + 1));
        return splice(b, start, 0, line);
    }

    private static int lineStart(byte[] b, int at) {
        int i = at;
        while (i > 0 && b[i - 1] != '\n') {
            i--;
        }
        return i;
    }

    private static byte[] replace(byte[] b, int at, byte value) {
        byte[] copy = b.clone();
        copy[at] = value;
        return copy;
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
        return out;
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
