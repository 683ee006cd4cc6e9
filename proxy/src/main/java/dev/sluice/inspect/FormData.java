package dev.sluice.inspect;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The parts of a {@code multipart/form-data} body (RFC 7578) as curl's {@code -F} and
 * {@code --form-string} describe them: {@code name=value}, {@code name=@file} (an upload),
 * {@code name=<file} (a value read from a file), a value in double quotes, and the
 * {@code ;type=}, {@code ;filename=} and {@code ;headers=} parameters.
 */
final class FormData {

    /** One part; {@code filename} and {@code contentType} may be null. */
    record Part(String name, byte[] content, String filename, String contentType, List<String> headers) {}

    // curl's guesses for an upload's type when -F gives none (tool_formparse.c)
    private static final Map<String, String> TYPES = Map.of(
            "gif", "image/gif", "jpg", "image/jpeg", "jpeg", "image/jpeg", "png", "image/png",
            "svg", "image/svg+xml", "txt", "text/plain", "htm", "text/html", "html", "text/html",
            "pdf", "application/pdf", "xml", "application/xml");

    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<Part> parts = new ArrayList<>();

    boolean isEmpty() {
        return parts.isEmpty();
    }

    /** {@code --form-string name=value}: the value as it is. */
    void addString(String spec) throws CurlException {
        int eq = nameEnd(spec, "--form-string");
        parts.add(new Part(spec.substring(0, eq), LosslessUtf8.encode(spec.substring(eq + 1)), null, null, List.of()));
    }

    /** {@code -F name=content[;param=value…]}. */
    void add(String spec, LocalFiles files) throws CurlException {
        int eq = nameEnd(spec, "-F");
        String name = spec.substring(0, eq);
        Cursor c = new Cursor(spec, eq + 1);
        char kind = c.peek();
        if (kind == '@' || kind == '<') {
            c.pos++;
        }
        String value = c.word();
        String type = null;
        String filename = null;
        List<String> headers = new ArrayList<>();
        while (c.peek() == ';') {
            c.pos++;
            String param = c.until('=');
            if (c.peek() != '=') {
                throw badParam(spec, param);
            }
            c.pos++;
            String v = c.word();
            switch (param.strip().toLowerCase(Locale.ROOT)) {
                case "type" -> type = v;
                case "filename" -> filename = v;
                case "headers" -> headers.add(v);
                default -> throw badParam(spec, param);
            }
        }
        byte[] content;
        if (kind == '@') {
            content = files.read(value, "-F " + name);
            if (filename == null) {
                filename = value.equals("-") ? "-" : String.valueOf(Path.of(value).getFileName());
            }
            if (type == null) {
                type = guessType(filename);
            }
        } else if (kind == '<') {
            content = files.read(value, "-F " + name);
        } else {
            content = LosslessUtf8.encode(value);
        }
        parts.add(new Part(name, content, filename, type, List.copyOf(headers)));
    }

    private static int nameEnd(String spec, String option) throws CurlException {
        int eq = spec.indexOf('=');
        if (eq < 0) {
            throw CurlException.usage(option + " " + spec + ": a form part is name=content (name=@file uploads a file)");
        }
        return eq;
    }

    private static CurlException badParam(String spec, String param) {
        return CurlException.usage("-F " + spec + ": \"" + param + "\" is not a part parameter (type=, filename=,"
                + " headers=); to send a ; in a value, put the value in double quotes or use --form-string");
    }

    private static String guessType(String filename) {
        int dot = filename.lastIndexOf('.');
        String ext = dot < 0 ? "" : filename.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(ext, "application/octet-stream");
    }

    /** A new boundary: curl's dashes, then random hex that no body is likely to hold. */
    static String newBoundary() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return "------------------------" + HexFormat.of().formatHex(b);
    }

    ByteString encode(String boundary) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Part p : parts) {
            StringBuilder head = new StringBuilder("--").append(boundary).append("\r\n")
                    .append("Content-Disposition: form-data; name=\"").append(escape(p.name())).append('"');
            if (p.filename() != null) {
                head.append("; filename=\"").append(escape(p.filename())).append('"');
            }
            head.append("\r\n");
            if (p.contentType() != null) {
                head.append("Content-Type: ").append(p.contentType()).append("\r\n");
            }
            for (String h : p.headers()) {
                head.append(h).append("\r\n");
            }
            head.append("\r\n");
            LosslessUtf8.encodeTo(head, out);
            out.writeBytes(p.content());
            out.writeBytes(new byte[] {'\r', '\n'});
        }
        LosslessUtf8.encodeTo("--" + boundary + "--\r\n", out);
        return ByteString.wrap(out.toByteArray());
    }

    /** A name or filename in its quotes, as browsers write it (WHATWG HTML, multipart/form-data encoding). */
    private static String escape(String s) {
        return s.replace("\"", "%22").replace("\r", "%0D").replace("\n", "%0A");
    }

    /** Reads words of a part: plain up to the next {@code ;}, or in double quotes with backslash escapes. */
    private static final class Cursor {
        private final String s;
        private int pos;

        Cursor(String s, int pos) {
            this.s = s;
            this.pos = pos;
        }

        char peek() {
            return pos < s.length() ? s.charAt(pos) : 0;
        }

        String until(char stop) {
            int start = pos;
            while (pos < s.length() && s.charAt(pos) != stop && s.charAt(pos) != ';') {
                pos++;
            }
            return s.substring(start, pos);
        }

        String word() {
            if (peek() != '"') {
                return until(';');
            }
            StringBuilder b = new StringBuilder();
            pos++;
            while (pos < s.length() && s.charAt(pos) != '"') {
                if (s.charAt(pos) == '\\' && pos + 1 < s.length()) {
                    pos++;
                }
                b.append(s.charAt(pos++));
            }
            pos++; // the closing quote
            return b.toString();
        }
    }
}
