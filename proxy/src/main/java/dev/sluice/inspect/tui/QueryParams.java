package dev.sluice.inspect.tui;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A URL's query as the parameters pane shows it: one {@code name=value} a line, percent-decoded
 * so that it reads as typed; and back, each name and value encoded again so that an {@code &},
 * {@code =} or {@code #} typed in a value stays in that value.
 */
final class QueryParams {

    // RFC 3986 §3.4: what a query may hold as it is, less the '&' and '=' that separate parameters.
    private static final String KEPT = "-._~!$'()*+,;:@/?";

    private QueryParams() {}

    /** The lines for {@code query} (without its {@code ?}); empty for null. */
    static String lines(String query) {
        if (query == null || query.isEmpty()) {
            return "";
        }
        List<String> lines = new ArrayList<>();
        for (String pair : query.split("&", -1)) {
            lines.add(decode(pair));
        }
        return String.join("\n", lines);
    }

    /** The query for {@code lines}, blank lines left out; null when there is none. */
    static String query(String lines) {
        List<String> pairs = new ArrayList<>();
        for (String line : lines.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int eq = line.indexOf('=');
            pairs.add(eq < 0 ? encode(line) : encode(line.substring(0, eq)) + "=" + encode(line.substring(eq + 1)));
        }
        return pairs.isEmpty() ? null : String.join("&", pairs);
    }

    private static String decode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        byte[] in = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '%' && i + 2 < in.length && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
                out.write(hex(in[i + 1]) * 16 + hex(in[i + 2]));
                i += 2;
            } else {
                out.write(in[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String encode(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (x & 0xFF);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || KEPT.indexOf(c) >= 0)) {
                b.append(c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return b.toString();
    }

    private static int hex(byte b) {
        return b < 0 ? -1 : Character.digit((char) b, 16);
    }
}
