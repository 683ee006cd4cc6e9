package dev.sluice.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Bodies as they are shown: JSON indented exactly, text as text, anything else as a hex dump. */
class BodyTextTest {

    @Test
    void jsonIsIndentedWithNumbersAndRepeatedKeysAsTheyCame() {
        BodyText b = BodyText.of(ByteString.utf8("{\"n\":1.50e3,\"big\":12345678901234567890123,\"k\":1,\"k\":2,\"a\":[],\"o\":{}}"),
                "application/problem+json; charset=utf-8");

        assertThat(b.kind()).isEqualTo(BodyText.Kind.JSON);
        assertThat(b.text()).isEqualTo("""
                {
                  "n": 1.50e3,
                  "big": 12345678901234567890123,
                  "k": 1,
                  "k": 2,
                  "a": [ ],
                  "o": { }
                }""");
    }

    @Test
    void jsonThatIsNotOneValueIsShownAsText() {
        assertThat(BodyText.of(ByteString.utf8("{\"a\":1} trailing"), "application/json").kind()).isEqualTo(BodyText.Kind.TEXT);
        assertThat(BodyText.of(ByteString.utf8("{\"a\":1}"), "text/plain").kind()).isEqualTo(BodyText.Kind.TEXT);
    }

    @Test
    void textInItsCharset() {
        byte[] latin1 = "Grüße".getBytes(StandardCharsets.ISO_8859_1);

        assertThat(BodyText.of(ByteString.of(latin1), "text/plain; charset=ISO-8859-1").text()).isEqualTo("Grüße");
        assertThat(BodyText.of(ByteString.of(latin1), "text/plain").kind()).isEqualTo(BodyText.Kind.BINARY);
    }

    @Test
    void bytesAndTerminalEscapesAreAHexDump() {
        BodyText b = BodyText.of(ByteString.utf8("\u001B[2Jgone\n"), "text/plain");

        assertThat(b.kind()).isEqualTo(BodyText.Kind.BINARY);
        assertThat(b.text()).isEqualTo("00000000  1b 5b 32 4a 67 6f 6e 65  0a                       |.[2Jgone.|\n");
    }

    @Test
    void anEmptyBody() {
        assertThat(BodyText.of(ByteString.EMPTY, "application/json").kind()).isEqualTo(BodyText.Kind.EMPTY);
    }
}
