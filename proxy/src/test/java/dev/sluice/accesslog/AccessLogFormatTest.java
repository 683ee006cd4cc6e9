package dev.sluice.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.config.AccessLogSettings;
import org.junit.jupiter.api.Test;

/** The two formats, line for line. */
class AccessLogFormatTest {

    private static final AccessLogFormat JSON = AccessLogFormat.of(AccessLogSettings.Format.JSON);
    private static final AccessLogFormat COMBINED = AccessLogFormat.of(AccessLogSettings.Format.COMBINED);

    private static final AccessRecord NO_REQUEST = Records.noRequest();

    @Test
    void jsonHasEveryFieldInOrderWithNumbersAsNumbers() {
        assertThat(line(JSON, Records.typical())).isEqualTo("{\"time\":\"2026-11-24T08:15:07.123Z\","
                + "\"client_ip\":\"203.0.113.7\",\"client_port\":51234,\"method\":\"GET\",\"host\":\"shop.example\","
                + "\"path\":\"/cart?id=1\",\"protocol\":\"HTTP/1.1\",\"status\":200,\"bytes_in\":412,\"bytes_out\":1530,"
                + "\"upstream_bytes_out\":455,\"upstream_bytes_in\":1498,\"route\":\"shop.example/\",\"pool\":\"web\","
                + "\"backend\":\"10.0.0.1:8080\",\"duration_us\":5123,\"connect_us\":-1,\"first_byte_us\":4011,"
                + "\"termination\":\"ok\",\"request_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\","
                + "\"referer\":\"https://shop.example/\",\"user_agent\":\"curl/8.5.0\"}");
    }

    @Test
    void jsonOfAConnectionWithoutARequest() {
        assertThat(line(JSON, NO_REQUEST)).isEqualTo("{\"time\":\"2026-11-24T08:15:07.123Z\","
                + "\"client_ip\":\"198.51.100.2\",\"client_port\":40000,\"method\":\"-\",\"host\":\"-\",\"path\":\"-\","
                + "\"protocol\":\"HTTP/1.1\",\"status\":0,\"bytes_in\":17,\"bytes_out\":0,\"upstream_bytes_out\":0,"
                + "\"upstream_bytes_in\":0,\"route\":\"-\",\"pool\":\"-\",\"backend\":\"-\",\"duration_us\":10000000,"
                + "\"connect_us\":-1,\"first_byte_us\":-1,\"termination\":\"client_header_timeout\",\"request_id\":\"-\","
                + "\"referer\":\"-\",\"user_agent\":\"-\"}");
    }

    @Test
    void jsonEscapesWhatJsonMustAndWritesTheRestAsUtf8() {
        LineBuffer out = new LineBuffer(16);
        JsonFormat.quoted(out, "a\"b\\c/\n\r\t\b\f\u0001\u001f\u007f ü€😀\ud800x\udc00");

        assertThat(out.toString())
                .isEqualTo("\"a\\\"b\\\\c/\\n\\r\\t\\b\\f\\u0001\\u001f\u007f ü€😀\ufffdx\ufffd\"");
    }

    @Test
    void theTimeHasMillisecondsAlways() {
        LineBuffer out = new LineBuffer(16);
        Rfc3339.append(0, out);
        out.put(' ');
        Rfc3339.append(951_782_400_000L + 5, out); // 2000-02-29

        assertThat(out.toString()).isEqualTo("1970-01-01T00:00:00.000Z 2000-02-29T00:00:00.005Z");
    }

    @Test
    void combinedIsApacheCombinedWithTheWireSize() {
        assertThat(line(COMBINED, Records.typical())).isEqualTo(
                "203.0.113.7 - - [24/Nov/2026:08:15:07 +0000] \"GET /cart?id=1 HTTP/1.1\" 200 1530"
                        + " \"https://shop.example/\" \"curl/8.5.0\"");
    }

    @Test
    void combinedShowsWhatIsMissingAsADash() {
        assertThat(line(COMBINED, NO_REQUEST)).isEqualTo(
                "198.51.100.2 - - [24/Nov/2026:08:15:07 +0000] \"-\" - - \"-\" \"-\"");
    }

    @Test
    void combinedEscapesAsApacheDoesAndStaysAscii() {
        LineBuffer out = new LineBuffer(16);
        CombinedFormat.escaped(out, "a\"b\\c\n\r\t\b\u000b\f\u0001\u007f ü€😀\ud800x");

        assertThat(out.toString()).isEqualTo(
                "a\\\"b\\\\c\\n\\r\\t\\b\\v\\x0c\\x01\\x7f \\xc3\\xbc\\xe2\\x82\\xac\\xf0\\x9f\\x98\\x80\\xef\\xbf\\xbdx");
    }

    @Test
    void aHostileRequestCannotForgeALineOrAField() {
        AccessRecord t = Records.typical();
        AccessRecord hostile = new AccessRecord(t.startMillis(), t.clientIp(), t.clientPort(), "GET",
                t.host(), "/\" 200 1 \"x\n203.0.113.9 - - [", "HTTP/1.1", 404, t.bytesIn(), 0, 0, 0, t.route(),
                t.pool(), t.backend(), t.totalMicros(), t.connectMicros(), t.firstByteMicros(), t.termination(),
                t.requestId(), "-", "\"\r\n");

        assertThat(line(COMBINED, hostile)).isEqualTo("203.0.113.7 - - [24/Nov/2026:08:15:07 +0000]"
                + " \"GET /\\\" 200 1 \\\"x\\n203.0.113.9 - - [ HTTP/1.1\" 404 - \"-\" \"\\\"\\r\\n\"");
    }

    static String line(AccessLogFormat format, AccessRecord record) {
        LineBuffer out = new LineBuffer(64);
        format.append(record, out);
        return out.toString();
    }
}
