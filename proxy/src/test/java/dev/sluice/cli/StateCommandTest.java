package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.config.BackendConfig;
import dev.sluice.config.HostPort;
import dev.sluice.config.RouteConfig;
import dev.sluice.config.DynamicState;
import dev.sluice.store.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice state verify}, run as its own process against real state files. */
class StateCommandTest {

    private static final String V1 = "state-00000000000000000001.json";
    private static final String V2 = "state-00000000000000000002.json";

    @TempDir
    Path dir;

    Path config;
    Path states;

    @BeforeEach
    void writeConfig() throws Exception {
        config = Files.writeString(dir.resolve("sluice.yaml"), """
                listen: 127.0.0.1:8080
                state_dir: kept
                pools:
                  apps: { backends: [127.0.0.1:9001] }
                routes:
                  - pool: apps
                """);
        states = dir.resolve("kept"); // relative to the config file's directory
    }

    static DynamicState twoBackends() {
        return new DynamicState(1, Map.of("apps", List.of(new BackendConfig(new HostPort("127.0.0.1", 9001), 1),
                new BackendConfig(new HostPort("127.0.0.1", 9002), 3))), null);
    }

    @Test
    void noStateYetIsGood() throws Exception {
        try (SluiceProcess p = SluiceProcess.start("state", "verify", "--config", config.toString())) {
            assertThat(p.await()).isZero();
            assertThat(p.output()).contains("state directory " + states + "\n")
                    .contains("verdict: OK: no saved state yet; a start uses the config file alone");
        }
    }

    @Test
    void goodStateIsReportedFileByFile() throws Exception {
        StateStore store = StateStore.inDirectory(states);
        store.save(twoBackends());
        store.save(twoBackends().withRoutes(List.of(new RouteConfig("*.apps.example", "/", "apps"))));

        try (SluiceProcess p = SluiceProcess.start("state", "verify", "--config", config.toString())) {
            assertThat(p.await()).isZero();
            assertThat(p.output())
                    .contains(V2 + ": ok (version 2, 1 pool changed, routes replaced (1))\n"
                            + V1 + ": ok (version 1, 1 pool changed, routes from the config file)\n")
                    .contains("verdict: OK: a start would apply state version 2 over " + config);
        }
    }

    @Test
    void aDamagedNewestFileIsAFaultAndSaysWhatAStartWouldLose() throws Exception {
        StateStore store = StateStore.inDirectory(states);
        store.save(twoBackends());
        store.save(twoBackends().withRoutes(List.of()));
        byte[] newest = Files.readAllBytes(states.resolve(V2));
        newest[newest.length - 3] ^= 1;
        Files.write(states.resolve(V2), newest);
        Files.writeString(states.resolve(V2 + ".tmp"), "half a save");

        try (SluiceProcess p = SluiceProcess.start("state", "verify", "--config", config.toString())) {
            assertThat(p.await()).isEqualTo(1);
            assertThat(p.output())
                    .contains(V2 + ".tmp: an unfinished save, interrupted by a crash; never acknowledged; a start deletes it")
                    .containsPattern(V2 + ": DAMAGED: checksum mismatch: stored [0-9a-f]{8}, computed [0-9a-f]{8}\n")
                    .contains(V1 + ": ok (version 1, 1 pool changed, routes from the config file)")
                    .contains("a start would use " + V1 + " and lose the changes saved after it")
                    .contains("verdict: FAULT: damaged or unreadable files above; a start would work, using " + V1);
        }
        assertThat(states.resolve(V2 + ".tmp")).exists(); // verify changes nothing
    }

    @Test
    void noUsableFileIsAFaultWithTheWayOut() throws Exception {
        Files.createDirectories(states);
        Files.writeString(states.resolve(V1), "not a state\n");

        try (SluiceProcess p = SluiceProcess.start("state", "verify", "--config", config.toString())) {
            assertThat(p.await()).isEqualTo(1);
            assertThat(p.output()).contains(V1 + ": DAMAGED: the header is not")
                    .contains("verdict: FAULT: a start would refuse: no usable state file")
                    .contains("move " + states + " aside");
        }
    }

    @Test
    void aStateThatNoLongerFitsTheConfigIsAFault() throws Exception {
        StateStore.inDirectory(states).save(new DynamicState(1, Map.of("gone", List.of()), null));

        try (SluiceProcess p = SluiceProcess.start("state", "verify", "--config", config.toString())) {
            assertThat(p.await()).isEqualTo(1);
            assertThat(p.output())
                    .contains(V1 + ": ok (version 1, 1 pool changed, routes from the config file)")
                    .contains(V1 + " does not fit " + config + ": backends were changed through the API for pool"
                            + " \"gone\", which the config file does not define")
                    .contains("verdict: FAULT: a start would refuse");
        }
    }

    @Test
    void anUnreadableStateDirectoryIsAFault() throws Exception {
        Files.writeString(states, "a file, not a directory");

        try (SluiceProcess p = SluiceProcess.start("state", "verify", "--config", config.toString())) {
            assertThat(p.await()).isEqualTo(1);
            assertThat(p.output()).contains(states + " is not a directory")
                    .contains("verdict: FAULT: the state directory cannot be read");
        }
    }

    @Test
    void aBackupIsCheckedAgainstTheConfigBeforeItIsRestored() throws Exception {
        Path backup = dir.resolve("backup");
        StateStore.inDirectory(backup).save(twoBackends());

        try (SluiceProcess p = SluiceProcess.start("state", "verify", "--config", config.toString(),
                "--state-dir", backup.toString())) {
            assertThat(p.await()).isZero();
            assertThat(p.output()).contains("state directory " + backup + "\n")
                    .contains(V1 + ": ok (version 1, 1 pool changed, routes from the config file)")
                    .contains("verdict: OK: a start would apply state version 1 over " + config);
        }
    }

    @Test
    void aBadConfigIsReportedFirst() throws Exception {
        Files.writeString(config, "listen: [oops\n");

        try (SluiceProcess p = SluiceProcess.start("state", "verify", "--config", config.toString())) {
            assertThat(p.await()).isEqualTo(1);
            assertThat(p.output()).contains(config + ":").contains("fix the config first");
        }
    }
}
