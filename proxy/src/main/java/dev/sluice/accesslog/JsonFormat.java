package dev.sluice.accesslog;

import java.nio.charset.StandardCharsets;

/**
 * ⑦ A record as one JSON object, fields in a fixed order, numbers as JSON numbers. Strings are
 * escaped for any input: quote, backslash and control characters; a lone surrogate (text that is
 * not valid UTF-16) becomes U+FFFD; everything else is written as UTF-8.
 */
final class JsonFormat implements AccessLogFormat {

    // Each field's separator and name, made once: ,"name":
    private static final byte[] CLIENT_IP = key("client_ip");
    private static final byte[] CLIENT_PORT = key("client_port");
    private static final byte[] METHOD = key("method");
    private static final byte[] HOST = key("host");
    private static final byte[] PATH = key("path");
    private static final byte[] PROTOCOL = key("protocol");
    private static final byte[] STATUS = key("status");
    private static final byte[] BYTES_IN = key("bytes_in");
    private static final byte[] BYTES_OUT = key("bytes_out");
    private static final byte[] UPSTREAM_BYTES_OUT = key("upstream_bytes_out");
    private static final byte[] UPSTREAM_BYTES_IN = key("upstream_bytes_in");
    private static final byte[] ROUTE = key("route");
    private static final byte[] POOL = key("pool");
    private static final byte[] BACKEND = key("backend");
    private static final byte[] DURATION_US = key("duration_us");
    private static final byte[] CONNECT_US = key("connect_us");
    private static final byte[] FIRST_BYTE_US = key("first_byte_us");
    private static final byte[] TERMINATION = key("termination");
    private static final byte[] REQUEST_ID = key("request_id");
    private static final byte[] REFERER = key("referer");
    private static final byte[] USER_AGENT = key("user_agent");

    @Override
    public void append(AccessRecord r, LineBuffer out) {
        out.ascii("{\"time\":\"");
        Rfc3339.append(r.startMillis(), out);
        out.put('"');
        string(out, CLIENT_IP, r.clientIp());
        number(out, CLIENT_PORT, r.clientPort());
        string(out, METHOD, r.method());
        string(out, HOST, r.host());
        string(out, PATH, r.target());
        string(out, PROTOCOL, r.protocol());
        number(out, STATUS, r.status());
        number(out, BYTES_IN, r.bytesIn());
        number(out, BYTES_OUT, r.bytesOut());
        number(out, UPSTREAM_BYTES_OUT, r.upstreamBytesOut());
        number(out, UPSTREAM_BYTES_IN, r.upstreamBytesIn());
        string(out, ROUTE, r.route());
        string(out, POOL, r.pool());
        string(out, BACKEND, r.backend());
        number(out, DURATION_US, r.totalMicros());
        number(out, CONNECT_US, r.connectMicros());
        number(out, FIRST_BYTE_US, r.firstByteMicros());
        string(out, TERMINATION, r.termination());
        string(out, REQUEST_ID, r.requestId());
        string(out, REFERER, r.referer());
        string(out, USER_AGENT, r.userAgent());
        out.put('}');
    }

    private static byte[] key(String name) {
        return (",\"" + name + "\":").getBytes(StandardCharsets.US_ASCII);
    }

    private static void number(LineBuffer out, byte[] key, long value) {
        out.put(key).decimal(value);
    }

    private static void string(LineBuffer out, byte[] key, String value) {
        out.put(key);
        quoted(out, value);
    }

    /** {@code s} as a JSON string (RFC 8259 §7). */
    static void quoted(LineBuffer out, String s) {
        out.put('"');
        for (int i = out.plainAsciiPrefix(s); i < s.length(); ) {
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
