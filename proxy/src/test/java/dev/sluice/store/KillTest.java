package dev.sluice.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.Seeds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} while saving, again and again: every start finds a whole state, never older than
 * the last one acknowledged (it may be the one whose save was under way). A power cut is the same
 * test with the page cache lost too; that is what the fsyncs are for, and it cannot be run here.
 */
class KillTest {

    private static final int KILLS = 5;

    @TempDir
    Path dir;

    @Test
    void killedAtRandomMomentsWhileSavingEveryStartFindsTheLastAcknowledgedStateOrANewerOne() throws Exception {
        long seed = Seeds.seeds(1).findFirst().orElseThrow();
        RandomGenerator random = Seeds.random(seed);
        Path states = dir.resolve("state");
        long acknowledged = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            Path output = dir.resolve("saver-" + kill + ".log");
            Process saver = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), StateSaver.class.getName(), states.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            int saves = random.nextInt(1, 25);
            try {
                while (lines(output).size() < saves) {
                    assertThat(saver.isAlive()).as("the saver died:\n%s", Files.readString(output)).isTrue();
                    Thread.sleep(random.nextInt(5));
                }
            } finally {
                saver.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, mid-write or not
                saver.waitFor();
            }
            List<String> acks = lines(output);
            acknowledged = Long.parseLong(acks.getLast().substring("saved ".length()));
            String context = "seed " + seed + ", kill " + kill + " after " + acks.size() + " saves";

            StateStore.Recovered recovered = StateStore.inDirectory(states).load();

            assertThat(recovered.state().version()).as(context).isBetween(acknowledged, acknowledged + 1);
            assertThat(recovered.state()).as(context).isEqualTo(StateSaver.state(recovered.state().version()));
            assertThat(recovered.notes()).as(context).allMatch(note -> note.startsWith("deleted "));
        }
        assertThat(acknowledged).isGreaterThanOrEqualTo(KILLS);
    }

    /** The complete lines the saver wrote: a line cut by the kill is not an acknowledgement. */
    private static List<String> lines(Path output) throws IOException {
        String text = Files.readString(output);
        return text.substring(0, text.lastIndexOf('\n') + 1).lines().filter(l -> l.startsWith("saved ")).toList();
    }
}
