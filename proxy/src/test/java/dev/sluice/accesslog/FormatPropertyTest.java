package dev.sluice.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.testing.Seeds;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever a record holds — any Unicode, lone surrogates, controls, quotes, any numbers — its JSON
 * line parses back (strictly, by Jackson) to the same fields in the same order, and its combined
 * line is printable ASCII whose quoted fields unescape to the bytes they stand for. A failure names
 * its seed: {@code -Dsluice.seed=SEED} runs that case first.
 */
class FormatPropertyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FIELDS = List.of("time", "client_ip", "client_port", "method", "host", "path",
            "protocol", "status", "bytes_in", "bytes_out", "upstream_bytes_out", "upstream_bytes_in", "route", "pool",
            "backend", "duration_us", "connect_us", "first_byte_us", "termination", "request_id", "referer",
            "user_agent");
    private static final Pattern COMBINED = Pattern.compile(
            "203\\.0\\.113\\.7 - - \\[\\d\\d/[A-Z][a-z]{2}/\\d{4}:\\d\\d:\\d\\d:\\d\\d \\+0000] \"((?:[^\"\\\\]|\\\\.)*)\""
                    + " (\\d+|-) (\\d+|-) \"((?:[^\"\\\\]|\\\\.)*)\" \"((?:[^\"\\\\]|\\\\.)*)\"");

    static LongStream seeds() {
        return Seeds.seeds(300);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyFieldRoundTripsThroughJson(long seed) throws Exception {
        AccessRecord r = Records.random(Seeds.random(seed));
        byte[] line = bytes(new JsonFormat(), r);

        String text = strictUtf8(line);
        assertThat(text).as("seed %d", seed).doesNotContain("\n", "\r");
        JsonNode node = JSON.readTree(text);
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        assertThat(names).as("seed %d", seed).isEqualTo(FIELDS);
        assertThat(Instant.parse(node.get("time").textValue()).toEpochMilli()).as("seed %d", seed)
                .isEqualTo(r.startMillis());
        assertThat(node.get("time").textValue()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        Map<String, Long> numbers = Map.of("client_port", (long) r.clientPort(), "status", (long) r.status(),
                "bytes_in", r.bytesIn(), "bytes_out", r.bytesOut(), "upstream_bytes_out", r.upstreamBytesOut(),
                "upstream_bytes_in", r.upstreamBytesIn(), "duration_us", r.totalMicros(),
                "connect_us", r.connectMicros(), "first_byte_us", r.firstByteMicros());
        numbers.forEach((name, value) -> {
            assertThat(node.get(name).canConvertToLong()).as("seed %d %s", seed, name).isTrue();
            assertThat(node.get(name).isIntegralNumber()).as("seed %d %s", seed, name).isTrue();
            assertThat(node.get(name).longValue()).as("seed %d %s", seed, name).isEqualTo(value);
        });
        Map<String, String> texts = Map.ofEntries(Map.entry("client_ip", r.clientIp()), Map.entry("method", r.method()),
                Map.entry("host", r.host()), Map.entry("path", r.target()), Map.entry("protocol", r.protocol()),
                Map.entry("route", r.route()), Map.entry("pool", r.pool()), Map.entry("backend", r.backend()),
                Map.entry("termination", r.termination()), Map.entry("request_id", r.requestId()),
                Map.entry("referer", r.referer()), Map.entry("user_agent", r.userAgent()));
        texts.forEach((name, value) -> assertThat(node.get(name).textValue()).as("seed %d %s", seed, name)
                .isEqualTo(Records.wellFormed(value)));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void combinedIsAsciiAndItsQuotedFieldsUnescapeToTheirBytes(long seed) {
        AccessRecord random = Records.random(Seeds.random(seed));
        AccessRecord t = Records.typical();
        AccessRecord r = new AccessRecord(random.startMillis(), t.clientIp(), t.clientPort(),
                random.method().equals("-") ? "GET" : random.method(), random.host(), random.target(),
                random.protocol(), Math.abs(random.status() % 1000), 0, Math.abs(random.bytesOut() % 100_000), 0, 0,
                random.route(), random.pool(), random.backend(), 0, 0, 0, random.termination(), random.requestId(),
                random.referer(), random.userAgent());
        String line = new String(bytes(new CombinedFormat(), r), StandardCharsets.ISO_8859_1);

        assertThat(line.chars()).as("seed %d: %s", seed, line).allMatch(c -> c >= 0x20 && c < 0x7f);
        Matcher m = COMBINED.matcher(line);
        assertThat(m.matches()).as("seed %d: %s", seed, line).isTrue();
        assertThat(unescape(m.group(1))).as("seed %d", seed)
                .isEqualTo(wireBytes(r.method() + " " + r.target() + " " + r.protocol()));
        assertThat(m.group(2)).isEqualTo(r.status() == 0 ? "-" : Integer.toString(r.status()));
        assertThat(m.group(3)).isEqualTo(r.bytesOut() == 0 ? "-" : Long.toString(r.bytesOut()));
        assertThat(unescape(m.group(4))).as("seed %d", seed).isEqualTo(wireBytes(r.referer()));
        assertThat(unescape(m.group(5))).as("seed %d", seed).isEqualTo(wireBytes(r.userAgent()));
    }

    private static byte[] bytes(AccessLogFormat format, AccessRecord r) {
        LineBuffer out = new LineBuffer(8);
        format.append(r, out);
        return Arrays.copyOf(out.array(), out.length());
    }

    private static String strictUtf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    }

    /** The bytes a header's text stands for: its UTF-8. */
    private static byte[] wireBytes(String s) {
        return Records.wellFormed(s).getBytes(StandardCharsets.UTF_8);
    }

    /** Apache's escapes undone: {@code \"}, {@code \\}, {@code \b \n \r \t \v}, {@code \xhh}. */
    private static byte[] unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                out.write(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case '"', '\\' -> out.write(e);
                case 'b' -> out.write('\b');
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case 'v' -> out.write(0x0b);
                case 'x' -> {
                    out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> throw new AssertionError("unknown escape \\" + e + " in " + s);
            }
        }
        return out.toByteArray();
    }
}
