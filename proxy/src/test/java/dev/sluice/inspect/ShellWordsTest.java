package dev.sluice.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.testing.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Pasted command lines split as bash splits them, and words quoted so bash gives them back. */
class ShellWordsTest {

    @Test
    void quotesOfEachKind() throws CurlException {
        assertThat(ShellWords.split("curl 'a b' \"c \\\"d\\\" \\$e \\x\" f\\ g ''"))
                .containsExactly("curl", "a b", "c \"d\" $e \\x", "f g", "");
    }

    @Test
    void ansiCQuotingAsBashReadsIt() throws CurlException {
        assertThat(ShellWords.split("$'line1\\nline2\\t\\'q\\' \\\\ \\x41\\u00e9\\U0001F600\\101\\e\\cA\\z'"))
                .containsExactly("line1\nline2\t'q' \\ A\u00e9\uD83D\uDE00A\u001B\u0001\\z");
    }

    @Test
    void hexEscapesAreBytesAndKeepWhatIsNotUtf8() throws CurlException {
        String word = ShellWords.split("$'caf\\xc3\\xa9 \\xff'").getFirst();

        assertThat(word).startsWith("café ");
        assertThat(ByteString.utf8(word).toByteArray()).containsExactly('c', 'a', 'f', 0xC3, 0xA9, ' ', 0xFF);
    }

    @Test
    void chromeLineBreaksAreContinuations() throws CurlException {
        String pasted = """
                curl 'https://example.com/api' \\
                  -H 'accept: */*' \\
                  --data-raw $'{"a":"it\\'s\\u0021"}' \\
                  --compressed
                """;

        assertThat(ShellWords.split(pasted))
                .containsExactly("curl", "https://example.com/api", "-H", "accept: */*", "--data-raw", "{\"a\":\"it's!\"}",
                        "--compressed");
    }

    @Test
    void crlfContinuationsToo() throws CurlException {
        assertThat(ShellWords.split("curl \\\r\n  -s\r\n")).containsExactly("curl", "-s");
    }

    @Test
    void aQuoteLeftOpenSaysWhere() {
        assertThatThrownBy(() -> ShellWords.split("curl 'https://x"))
                .hasMessageContaining("the ' quote at column 6 is not closed");
        assertThatThrownBy(() -> ShellWords.split("curl \\\n  -d $'abc"))
                .hasMessageContaining("the $' quote at line 2, column 6 is not closed");
    }

    @Test
    void aShellIsNotRunAndSaysSo() {
        assertThatThrownBy(() -> ShellWords.split("curl -H \"Authorization: Bearer $TOKEN\" https://x"))
                .hasMessageContaining("$TOKEN at column 32 is expanded by a shell");
        assertThatThrownBy(() -> ShellWords.split("curl https://x | jq ."))
                .hasMessageContaining("unquoted | at column 16");
        assertThatThrownBy(() -> ShellWords.split("curl https://x ;\ncurl https://y"))
                .hasMessageContaining("unquoted ;");
        assertThatThrownBy(() -> ShellWords.split("curl https://x && echo"))
                .hasMessageContaining("unquoted &");
        assertThatThrownBy(() -> ShellWords.split("curl -d \"$(cat f)\" https://x"))
                .hasMessageContaining("$( at column 10");
    }

    @Test
    void anAmpersandInsideAWordIsKept() throws CurlException {
        assertThat(ShellWords.split("curl http://x/?a=1&b=2 # a comment")).containsExactly("curl", "http://x/?a=1&b=2");
    }

    @Test
    void quotingChoosesTheSimplestForm() {
        assertThat(ShellWords.quote("POST")).isEqualTo("POST");
        assertThat(ShellWords.quote("Accept: */*")).isEqualTo("'Accept: */*'");
        assertThat(ShellWords.quote("")).isEqualTo("''");
        assertThat(ShellWords.quote("it's")).isEqualTo("$'it\\'s'");
        assertThat(ShellWords.quote("a\nb\u0001\u202E")).isEqualTo("$'a\\nb\\x01\\u202e'");
        assertThat(ShellWords.quote(ByteString.of(new byte[] {'x', (byte) 0xFF, 0}).utf8())).isEqualTo("$'x\\xff\\x00'");
    }

    static LongStream seeds() {
        return Seeds.seeds(300);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void anyWordsComeBackFromTheirQuotedLine(long seed) throws CurlException {
        RandomGenerator r = Seeds.random(seed);
        List<String> words = new ArrayList<>();
        for (int n = r.nextInt(1, 6); n > 0; n--) {
            words.add(randomWord(r));
        }

        assertThat(ShellWords.split(ShellWords.join(words))).as("seed %d", seed).isEqualTo(words);
    }

    /** Text and bytes of every kind, as a canonical string (the way a word comes out of a byte sequence). */
    static String randomWord(RandomGenerator r) {
        String palette = "aZ09 '\"\\$`!&|;<>#*?[]{}()~=%@:,./-\t\n\r\u0000\u0007\u007F\u0085é€\u202E\uD83D\uDE00";
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int n = r.nextInt(0, 12); n > 0; n--) {
            if (r.nextInt(8) == 0) {
                out.write(r.nextInt(256)); // any byte, UTF-8 or not
            } else {
                int i = r.nextInt(palette.length());
                int cp = palette.codePointAt(Character.isLowSurrogate(palette.charAt(i)) ? i - 1 : i);
                LosslessUtf8.writeCodePoint(cp, out);
            }
        }
        return ByteString.of(out.toByteArray()).utf8();
    }
}
