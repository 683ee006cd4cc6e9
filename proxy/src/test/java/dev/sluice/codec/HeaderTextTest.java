package dev.sluice.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeaderTextTest {

    /** What the decoder makes of these bytes: one character a byte. */
    private static String asDecoded(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @Test
    void utf8BytesReadAsTheTextTheyEncode() {
        assertThat(HeaderText.readable(asDecoded("Mozilla/5.0 (Zürich; 日本)".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("Mozilla/5.0 (Zürich; 日本)");
    }

    @Test
    void asciiIsItselfAndBytesThatAreNotUtf8BecomeReplacementCharacters() {
        String ascii = "curl/8.5.0";
        assertThat(HeaderText.readable(ascii)).isSameAs(ascii);
        assertThat(HeaderText.readable(asDecoded(new byte[] {'a', (byte) 0xff, 'b'}))).isEqualTo("a\ufffdb");
    }
}
