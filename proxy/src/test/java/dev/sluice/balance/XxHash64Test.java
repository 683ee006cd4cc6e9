package dev.sluice.balance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class XxHash64Test {

    /** Digests from the reference library, XXH64(bytes, length, 0) of the UTF-8 bytes. */
    @ParameterizedTest(name = "\"{0}\"")
    @CsvSource(delimiter = '|', textBlock = """
            ''                                              | ef46db3751d8e999
            a                                               | d24ec4f1a98c6e5b
            abc                                             | 44bc2cf5ad770999
            backend-1.example:8080#0                        | c8e231bb0b016919
            0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ | bd7f39924b6afd75
            münchen.example                                 | 839eaeeb7c12991c
            """)
    void matchesTheReference(String text, String hex) {
        assertThat(XxHash64.hash(text)).isEqualTo(Long.parseUnsignedLong(hex, 16));
    }
}
