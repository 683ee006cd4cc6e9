package dev.sluice.accesslog;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * ⑦ Apache's combined log format,
 * {@code %h - - [%t] "%r" %>s %O "%{Referer}i" "%{User-Agent}i"}, always in UTC:
 *
 * <pre>203.0.113.7 - - [24/Nov/2026:08:15:07 +0000] "GET /cart HTTP/1.1" 200 1530 "-" "curl/8.5.0"</pre>
 *
 * <p>The size is {@code bytes_out}, what went to the client with headers (Apache's {@code %O}),
 * {@code -} when 0. A status that was never sent is {@code -}, and so is the request line of a
 * connection that closed before one came. Text is escaped as Apache's {@code ap_escape_logitem}
 * does: {@code \"}, {@code \\}, {@code \b \n \r \t \v}, and every other byte outside printable
 * ASCII as {@code \xhh}: a character beyond ASCII byte by byte of its UTF-8, the bytes a client
 * sending UTF-8 sent. The line is therefore pure ASCII.
 */
final class CombinedFormat implements AccessLogFormat {

    private static final String[] MONTHS =
            {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    /** The first byte's marker bits of a UTF-8 sequence of n bytes, by n. */
    private static final int[] UTF8_LEAD = {0, 0, 0xc0, 0xe0, 0xf0};

    @Override
    public void append(AccessRecord r, LineBuffer out) {
        escaped(out, r.clientIp());
        out.ascii(" - - [");
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(r.startMillis(), 1000), 0, ZoneOffset.UTC);
        out.padded(t.getDayOfMonth(), 2).put('/').ascii(MONTHS[t.getMonthValue() - 1]).put('/').padded(t.getYear(), 4)
                .put(':').padded(t.getHour(), 2).put(':').padded(t.getMinute(), 2).put(':').padded(t.getSecond(), 2)
                .ascii(" +0000] \"");
        if (r.method().equals(AccessRecord.NONE)) {
            out.put('-');
        } else {
            escaped(out, r.method());
            out.put(' ');
            escaped(out, r.target());
            out.put(' ');
            escaped(out, r.protocol());
        }
        out.ascii("\" ");
        dashIfZero(out, r.status());
        out.put(' ');
        dashIfZero(out, r.bytesOut());
        out.ascii(" \"");
        escaped(out, r.referer());
        out.ascii("\" \"");
        escaped(out, r.userAgent());
        out.put('"');
    }

    private static void dashIfZero(LineBuffer out, long n) {
        if (n == 0) {
            out.put('-');
        } else {
            out.decimal(n);
        }
    }

    static void escaped(LineBuffer out, String s) {
        for (int i = out.plainAsciiPrefix(s); i < s.length(); ) {
            int c = LineBuffer.scalarAt(s, i);
            i += Character.charCount(c);
            if (c <= 0x7f) {
                escapedByte(out, c);
            } else { // each byte of its UTF-8 is above 0x7f, so each is \xhh
                int n = c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
                out.ascii("\\x").hex(UTF8_LEAD[n] | c >> 6 * (n - 1));
                for (int k = n - 2; k >= 0; k--) {
                    out.ascii("\\x").hex(0x80 | c >> 6 * k & 0x3f);
                }
            }
        }
    }

    private static void escapedByte(LineBuffer out, int b) {
        switch (b) {
            case '"', '\\' -> out.put('\\').put(b);
            case '\b' -> out.put('\\').put('b');
            case '\n' -> out.put('\\').put('n');
            case '\r' -> out.put('\\').put('r');
            case '\t' -> out.put('\\').put('t');
            case 0x0b -> out.put('\\').put('v');
            default -> {
                if (b >= 0x20 && b < 0x7f) {
                    out.put(b);
                } else {
                    out.ascii("\\x").hex(b);
                }
            }
        }
    }
}
