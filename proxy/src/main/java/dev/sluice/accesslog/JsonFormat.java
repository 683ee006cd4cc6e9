package dev.sluice.accesslog;

/**
 * ⑦ A record as one JSON object, fields in a fixed order, numbers as JSON numbers. Strings are
 * escaped for any input: quote, backslash and control characters; a lone surrogate (text that is
 * not valid UTF-16) becomes U+FFFD; everything else is written as UTF-8.
 */
final class JsonFormat implements AccessLogFormat {

    @Override
    public void append(AccessRecord r, LineBuffer out) {
        out.ascii("{\"time\":\"");
        Rfc3339.append(r.startMillis(), out);
        out.put('"');
        string(out, "client_ip", r.clientIp());
        number(out, "client_port", r.clientPort());
        string(out, "method", r.method());
        string(out, "host", r.host());
        string(out, "path", r.target());
        string(out, "protocol", r.protocol());
        number(out, "status", r.status());
        number(out, "bytes_in", r.bytesIn());
        number(out, "bytes_out", r.bytesOut());
        number(out, "upstream_bytes_out", r.upstreamBytesOut());
        number(out, "upstream_bytes_in", r.upstreamBytesIn());
        string(out, "route", r.route());
        string(out, "pool", r.pool());
        string(out, "backend", r.backend());
        number(out, "duration_us", r.totalMicros());
        number(out, "connect_us", r.connectMicros());
        number(out, "first_byte_us", r.firstByteMicros());
        string(out, "termination", r.termination());
        string(out, "request_id", r.requestId());
        string(out, "referer", r.referer());
        string(out, "user_agent", r.userAgent());
        out.put('}');
    }

    private static void number(LineBuffer out, String name, long value) {
        out.ascii(",\"").ascii(name).ascii("\":").decimal(value);
    }

    private static void string(LineBuffer out, String name, String value) {
        out.ascii(",\"").ascii(name).ascii("\":");
        quoted(out, value);
    }

    /** {@code s} as a JSON string (RFC 8259 §7). */
    static void quoted(LineBuffer out, String s) {
        out.put('"');
        for (int i = 0; i < s.length(); ) {
            int c = LineBuffer.scalarAt(s, i);
            i += Character.charCount(c);
            switch (c) {
                case '"', '\\' -> out.put('\\').put(c);
                case '\n' -> out.put('\\').put('n');
                case '\r' -> out.put('\\').put('r');
                case '\t' -> out.put('\\').put('t');
                case '\b' -> out.put('\\').put('b');
                case '\f' -> out.put('\\').put('f');
                default -> {
                    if (c < 0x20) {
                        out.ascii("\\u00").hex(c);
                    } else {
                        out.utf8(c);
                    }
                }
            }
        }
        out.put('"');
    }
}
