package dev.sluice.accesslog;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A syslog message read strictly by RFC 5424 §6: anything the grammar does not allow is an
 * {@link IllegalArgumentException} saying what and where. Structured data must be the nil value,
 * the only kind the access log sends.
 *
 * @param msg the MSG octets, empty when there is none
 */
record Rfc5424(int facility, int severity, int version, Instant timestamp, String hostname, String appName,
        String procId, String msgId, String structuredData, byte[] msg) {

    // FULL-DATE "T" PARTIAL-TIME TIME-OFFSET, TIME-SECFRAC of 1 to 6 digits (§6.2.3)
    private static final Pattern TIMESTAMP =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?(Z|[+-]\\d{2}:\\d{2})");

    String msgText() {
        return new String(msg, StandardCharsets.UTF_8);
    }

    static Rfc5424 parse(byte[] bytes) {
        Reader r = new Reader(bytes);
        r.expect('<');
        String prival = r.digits(1, 3, "PRIVAL");
        if ((prival.length() > 1 && prival.startsWith("0")) || Integer.parseInt(prival) > 191) {
            throw r.error("PRIVAL " + prival + " is not 0-191 without leading zeros");
        }
        r.expect('>');
        String version = r.digits(1, 3, "VERSION");
        if (version.startsWith("0")) {
            throw r.error("VERSION starts with 0");
        }
        r.expect(' ');
        String time = r.field(Integer.MAX_VALUE, "TIMESTAMP");
        Instant timestamp = null;
        if (!time.equals("-")) {
            Matcher m = TIMESTAMP.matcher(time);
            if (!m.matches()) {
                throw r.error("TIMESTAMP \"" + time + "\" is not RFC 3339 as §6.2.3 restricts it");
            }
            try {
                timestamp = OffsetDateTime.parse(time).toInstant();
            } catch (DateTimeParseException e) {
                throw r.error("TIMESTAMP \"" + time + "\": " + e.getMessage());
            }
        }
        r.expect(' ');
        String hostname = r.field(255, "HOSTNAME");
        r.expect(' ');
        String appName = r.field(48, "APP-NAME");
        r.expect(' ');
        String procId = r.field(128, "PROCID");
        r.expect(' ');
        String msgId = r.field(32, "MSGID");
        r.expect(' ');
        if (r.peek() != '-') {
            throw r.error("STRUCTURED-DATA other than \"-\"");
        }
        r.expect('-');
        byte[] msg = new byte[0];
        if (!r.atEnd()) {
            r.expect(' ');
            msg = r.rest();
        }
        int pri = Integer.parseInt(prival);
        return new Rfc5424(pri / 8, pri % 8, Integer.parseInt(version), timestamp, hostname, appName, procId, msgId,
                "-", msg);
    }

    private static final class Reader {
        private final byte[] bytes;
        private int at;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        boolean atEnd() {
            return at == bytes.length;
        }

        int peek() {
            return atEnd() ? -1 : bytes[at] & 0xff;
        }

        void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            at++;
        }

        String digits(int min, int max, String what) {
            int from = at;
            while (at - from < max && peek() >= '0' && peek() <= '9') {
                at++;
            }
            if (at - from < min) {
                throw error("expected " + what);
            }
            return new String(bytes, from, at - from, StandardCharsets.US_ASCII);
        }

        /** NILVALUE or 1 to {@code max} PRINTUSASCII (33-126), up to the next space. */
        String field(int max, String what) {
            int from = at;
            while (peek() >= 33 && peek() <= 126) {
                at++;
            }
            if (at == from || at - from > max) {
                throw error(what + " must be 1-" + max + " printable ASCII characters");
            }
            return new String(bytes, from, at - from, StandardCharsets.US_ASCII);
        }

        byte[] rest() {
            byte[] rest = Arrays.copyOfRange(bytes, at, bytes.length);
            at = bytes.length;
            return rest;
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("not RFC 5424 at byte " + at + ": " + what + " in \""
                    + new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.UTF_8) + "\"");
        }
    }
}
