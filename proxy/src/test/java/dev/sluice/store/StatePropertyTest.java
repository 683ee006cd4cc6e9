package dev.sluice.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.config.DynamicState;
import dev.sluice.store.StateReport.Damaged;
import dev.sluice.testing.Seeds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever the state, a saved one loads back exactly; whatever one byte of the newest file becomes,
 * or wherever it is cut short, the damage is found and the previous state comes back. A failure
 * names its seed: {@code -Dsluice.seed=SEED} runs that case first.
 */
class StatePropertyTest {

    @TempDir
    Path dir;

    static LongStream seeds() {
        return Seeds.seeds(100);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomStatesSurviveASaveAndALoadExactly(long seed) throws IOException {
        DynamicState state = RandomState.generate(Seeds.random(seed));

        StateStore.inDirectory(dir).save(state);

        assertThat(StateStore.inDirectory(dir).load()).as("seed %d", seed)
                .isEqualTo(new StateStore.Recovered(state, List.of()));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void anyChangedByteOrCutInTheNewestFileIsFoundAndThePreviousStateReturned(long seed) throws IOException {
        RandomGenerator random = Seeds.random(seed);
        DynamicState previous = RandomState.generate(random);
        DynamicState newest = new DynamicState(previous.version() + 1, RandomState.generate(random).pools(),
                RandomState.generate(random).routes());
        StateStore store = StateStore.inDirectory(dir);
        store.save(previous);
        store.save(newest);
        Path file = dir.resolve(StateFile.name(newest.version()));
        byte[] bytes = Files.readAllBytes(file);
        String damage;
        if (random.nextBoolean()) {
            int at = random.nextInt(bytes.length);
            int flip = random.nextInt(1, 256);
            damage = "byte " + at + " of " + bytes.length + " xor " + flip;
            bytes[at] ^= (byte) flip;
        } else {
            int cut = random.nextInt(bytes.length);
            damage = "cut to " + cut + " of " + bytes.length + " bytes";
            bytes = Arrays.copyOf(bytes, cut);
        }
        Files.write(file, bytes);
        String context = "seed " + seed + ", " + damage;

        assertThat(StateStore.verify(dir).generations().getFirst()).as(context).isInstanceOf(Damaged.class);
        StateStore.Recovered recovered = store.load();
        assertThat(recovered.state()).as(context).isEqualTo(previous);
        assertThat(recovered.notes()).as(context).singleElement().asString()
                .startsWith(file.getFileName() + " is damaged (")
                .endsWith("using " + StateFile.name(previous.version()) + ", the previous good copy");
    }
}
