package dev.sluice.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.config.ConfigLoader;
import dev.sluice.store.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saving the config file reloads it, however the editor saves; a bad save changes nothing. */
class ConfigWatcherTest {

    static final String CONFIG = """
            listen: 127.0.0.1:0
            pools: { apps: { backends: [%s] } }
            routes: [ { pool: apps } ]
            """;

    @TempDir
    Path dir;

    @Test
    void reloadsOnWriteAndOnRenameAndKeepsTheOldConfigOnABadOne() throws Exception {
        Path file = Files.writeString(dir.resolve("sluice.yaml"), CONFIG.formatted("127.0.0.1:9001"));
        ControlPlane control = ControlPlane.open(file, ConfigLoader.load(file), StateStore.inMemory());
        try (ConfigWatcher watcher = ConfigWatcher.watch(file, control)) {
            Files.writeString(file, CONFIG.formatted("127.0.0.1:9002"));
            await(() -> backendPort(control) == 9002);

            // an editor that writes a new file and renames it over the old one
            Path tmp = Files.writeString(dir.resolve(".sluice.yaml.swp"), CONFIG.formatted("127.0.0.1:9003"));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            await(() -> backendPort(control) == 9003);

            Files.writeString(file, "listen: [broken\n");
            await(() -> control.reloadFailures() == 1);
            assertThat(backendPort(control)).isEqualTo(9003);

            // touching other files in the directory does not reload
            long version = control.table().version();
            Files.writeString(dir.resolve("notes.txt"), "hello");
            Thread.sleep(2 * ConfigWatcher.SETTLE.toMillis() + 200);
            assertThat(control.table().version()).isEqualTo(version);
        }
    }

    @Test
    void aFileWrittenWithoutPauseBesideTheConfigDoesNotHoldAReloadBack() throws Exception {
        Path file = Files.writeString(dir.resolve("sluice.yaml"), CONFIG.formatted("127.0.0.1:9001"));
        ControlPlane control = ControlPlane.open(file, ConfigLoader.load(file), StateStore.inMemory());
        Path log = dir.resolve("access.log");
        AtomicBoolean writing = new AtomicBoolean(true);
        // an access log beside the config, written more often than the settle time
        Thread writer = Thread.ofPlatform().start(() -> {
            while (writing.get()) {
                try {
                    Files.writeString(log, "a line\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    Thread.sleep(10);
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        try (ConfigWatcher watcher = ConfigWatcher.watch(file, control)) {
            Thread.sleep(100);
            Files.writeString(file, CONFIG.formatted("127.0.0.1:9002"));
            await(() -> backendPort(control) == 9002);
        } finally {
            writing.set(false);
            writer.join();
        }
    }

    static int backendPort(ControlPlane control) {
        return control.effective().pools().get("apps").backends().get(0).address().port();
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.currentTimeMillis() + 10_000;
        while (!condition.getAsBoolean()) {
            assertThat(System.currentTimeMillis()).as("waited 10 s").isLessThan(end);
            Thread.sleep(20);
        }
    }
}
