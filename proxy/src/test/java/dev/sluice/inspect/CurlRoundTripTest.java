package dev.sluice.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.Seeds;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A request written as a curl line reads back as the same request: "copy as cURL" loses nothing. */
class CurlRoundTripTest {

    static LongStream seeds() {
        return Seeds.seeds(500);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void specToCurlLineToSpec(long seed) throws CurlException {
        RandomGenerator r = Seeds.random(seed);
        RequestSpec spec = RandomSpecs.spec(r);

        String line = r.nextBoolean() ? CurlRenderer.render(spec) : CurlRenderer.renderMultiline(spec);
        RequestSpec back = CurlCommand.parse(CurlCommand.words(line), new ByteArrayInputStream(new byte[0])).request();

        assertThat(back).as("seed %d: %s", seed, line).isEqualTo(spec);
        assertThat(CurlCommand.parse(CurlRenderer.args(spec), new ByteArrayInputStream(new byte[0])).request())
                .as("seed %d, as arguments", seed).isEqualTo(spec);
    }

    @Test
    void aPlainRequestIsAShortLine() throws CurlException {
        RequestSpec get = CurlCommand.parse(List.of("http://h/p")).request();
        RequestSpec post = CurlCommand.parse(List.of("-d", "a=1", "-H", "X-A: 1", "http://h/p")).request();

        assertThat(CurlRenderer.render(get)).isEqualTo("curl http://h/p");
        assertThat(CurlRenderer.render(post)).isEqualTo("curl http://h/p -H 'X-A: 1' --data-raw a=1");
        assertThat(CurlRenderer.renderMultiline(post)).isEqualTo("curl http://h/p \\\n  -H 'X-A: 1' \\\n  --data-raw a=1");
    }

    @Test
    void headersTheReaderWouldAddAreRemovedWhenTheSpecHasNone() throws CurlException {
        RequestSpec bare = RequestSpec.builder(Url.parse("http://h/")).method("DELETE")
                .body(ByteString.utf8("{}")).build();

        assertThat(CurlRenderer.render(bare))
                .isEqualTo("curl http://h/ -X DELETE -H User-Agent: -H Accept: -H Content-Type: --data-raw '{}'");
    }
}
