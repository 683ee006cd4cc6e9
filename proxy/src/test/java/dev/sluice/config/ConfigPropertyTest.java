package dev.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.List;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Random valid configs, written out as YAML, must load back as the same records; with one defect
 * put in, exactly that defect must be reported, at its line. A failure names its seed: run it
 * alone with {@code -Dsluice.config.seed=SEED}.
 */
class ConfigPropertyTest {

    private static final int RUNS = 1000;
    private static final String SEED_PROPERTY = "sluice.config.seed";

    @Test
    void randomValidConfigsLoadAsWritten() {
        for (long seed : seeds()) {
            RandomConfig sample = RandomConfig.generate(random(seed));
            try {
                Config loaded = ConfigLoader.parse(sample.yaml(), "random.yaml");
                assertThat(loaded).as(context(seed, sample.yaml())).isEqualTo(sample.expected());
            } catch (ConfigException e) {
                fail(context(seed, sample.yaml()) + "a valid config was refused:\n" + e.getMessage());
            }
        }
    }

    @Test
    void oneDefectGivesOneProblemAtItsLine() {
        for (long seed : seeds()) {
            RandomGenerator random = random(seed);
            RandomConfig.Mutant mutant = RandomConfig.generate(random).mutate(random);
            String context = context(seed, mutant.yaml()) + "defect: " + mutant.defect() + "\n";
            try {
                ConfigLoader.parse(mutant.yaml(), "random.yaml");
                fail(context + "the defect was not found");
            } catch (ConfigException e) {
                assertThat(e.problems()).as(context).singleElement().satisfies(problem -> {
                    assertThat(problem.line()).as(context + problem).isEqualTo(mutant.line());
                    assertThat(problem.keyPath()).as(context + problem).isEqualTo(mutant.keyPath());
                });
            }
        }
    }

    @Test
    void theGeneratorCoversEveryKindOfDefect() {
        List<String> defects = LongStream.range(0, 200)
                .mapToObj(seed -> {
                    RandomGenerator random = random(seed);
                    return RandomConfig.generate(random).mutate(random).defect();
                })
                .toList();
        for (String kind : List.of("unknown key", "ADDRESS", "DURATION", "WEIGHT", "POOL_REFERENCE")) {
            assertThat(defects).as(kind).anyMatch(d -> d.startsWith(kind));
        }
    }

    private static long[] seeds() {
        Long fixed = Long.getLong(SEED_PROPERTY);
        if (fixed != null) {
            return new long[] {fixed};
        }
        long base = System.nanoTime();
        return IntStream.range(0, RUNS).mapToLong(i -> base + i).toArray();
    }

    private static RandomGenerator random(long seed) {
        return RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
    }

    private static String context(long seed, String yaml) {
        StringBuilder numbered = new StringBuilder();
        List<String> lines = yaml.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            numbered.append(String.format("%3d| %s%n", i + 1, lines.get(i)));
        }
        return "seed " + seed + " (rerun with -D" + SEED_PROPERTY + "=" + seed + ")\n" + numbered;
    }
}
