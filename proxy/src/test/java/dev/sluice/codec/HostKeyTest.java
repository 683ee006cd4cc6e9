package dev.sluice.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostKeyTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "example.com, example.com",
        "Example.COM, example.com",
        "example.com:8080, example.com",
        "example.com., example.com",
        "EXAMPLE.com.:443, example.com",
        "example.com:, example.com",
        "a_b.example, a_b.example",
        "127.0.0.1:80, 127.0.0.1",
        "[::1]:8080, [::1]",
        "[2001:DB8::1], [2001:db8::1]",
        "bücher.example, xn--bcher-kva.example",
        "BÜCHER.example:80, xn--bcher-kva.example",
        "localhost, localhost",
    })
    void canonicalises(String host, String key) {
        assertThat(HostKey.canonicalOrNull(host)).isEqualTo(key);
        assertThat(HostKey.canonical(host)).isEqualTo(key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", ":80", "a..b", ".a", "a b", "a/b", "a@b", "a:b:c", "a:99999", "a:8x",
        "[::1", "[]", "[zz::1]", "[::1]x", "a\u0000b", "a\tb", "-\u2603\u0000"})
    void rejects(String host) {
        assertThat(HostKey.canonicalOrNull(host)).isNull();
        assertThatThrownBy(() -> HostKey.canonical(host)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a valid host name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "example.com", "x-y.z"})
    void alreadyCanonicalIsReturnedAsIs(String host) {
        assertThat(HostKey.canonicalOrNull(host)).isSameAs(host);
    }

    static long[] seeds() {
        long base = Long.getLong("sluice.seed", 20261124L);
        return new long[] {base, base + 1, base + 2, base + 3, base + 4};
    }

    /** Every spelling of a host — case, port, trailing dot — gives the same key, and keys are fixed points. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void spellingsOfOneHostShareOneKey(long seed) {
        RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int n = 0; n < 2000; n++) {
            StringBuilder name = new StringBuilder();
            int labels = 1 + random.nextInt(4);
            for (int l = 0; l < labels; l++) {
                if (l > 0) {
                    name.append('.');
                }
                int len = 1 + random.nextInt(12);
                for (int i = 0; i < len; i++) {
                    name.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            String key = name.toString();
            StringBuilder spelled = new StringBuilder();
            for (char c : key.toCharArray()) {
                spelled.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
            }
            if (random.nextBoolean()) {
                spelled.append('.');
            }
            if (random.nextBoolean()) {
                spelled.append(':').append(random.nextInt(65536));
            }
            assertThat(HostKey.canonicalOrNull(spelled.toString())).as("seed %d: %s", seed, spelled).isEqualTo(key);
            assertThat(HostKey.canonicalOrNull(key)).as("seed %d: fixed point %s", seed, key).isEqualTo(key);
            assertThat(key.toLowerCase(Locale.ROOT)).isEqualTo(key);
        }
    }

    /** Arbitrary input never throws, and whatever it gives is a fixed point. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void anyInputGivesNullOrAFixedPoint(long seed) {
        RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        String alphabet = "aZ9.-_:[]@/ \t\u0000\u00fc\u2603\u3002%";
        for (int n = 0; n < 5000; n++) {
            StringBuilder s = new StringBuilder();
            int len = random.nextInt(20);
            for (int i = 0; i < len; i++) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String key = HostKey.canonicalOrNull(s.toString());
            if (key != null) {
                assertThat(HostKey.canonicalOrNull(key)).as("seed %d: input \"%s\"", seed, s).isEqualTo(key);
                assertThat(key).as("seed %d", seed).doesNotContain(" ", "\t", "\u0000", "/", "@", "%");
            }
        }
    }
}
