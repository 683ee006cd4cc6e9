package dev.sluice.control;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the config file when its content changes. Watches the file's directory, not the file:
 * editors save by writing a new file and renaming it over the old one, and Kubernetes swaps a
 * symlink; either way the content changes, so any event in the directory leads to a content check.
 * Events are settled for a short quiet time first, so a save in several writes is one reload.
 */
public final class ConfigWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);
    static final Duration SETTLE = Duration.ofMillis(200);

    private final Path file;
    private final ControlPlane control;
    private final WatchService watcher;
    private final Thread thread;
    private byte[] lastDigest;

    private ConfigWatcher(Path file, ControlPlane control) throws IOException {
        this.file = file.toAbsolutePath();
        this.control = control;
        this.watcher = FileSystems.getDefault().newWatchService();
        this.file.getParent().register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
        this.lastDigest = digest();
        this.thread = Thread.ofVirtual().name("sluice-config-watcher").start(this::run);
    }

    /** Starts watching {@code file}; changes go to {@code control.reload()}. */
    public static ConfigWatcher watch(Path file, ControlPlane control) throws IOException {
        return new ConfigWatcher(requireNonNull(file, "file"), requireNonNull(control, "control"));
    }

    private void run() {
        try {
            while (true) {
                if (!drain(watcher.take())) {
                    continue;
                }
                // settle: wait until nothing that could be the config has changed for a moment; a
                // busy file beside it (an access log) neither extends the wait nor starts one
                long quietUntil = System.nanoTime() + SETTLE.toNanos();
                for (long left; (left = quietUntil - System.nanoTime()) > 0; ) {
                    WatchKey more = watcher.poll(left, TimeUnit.NANOSECONDS);
                    if (more != null && drain(more)) {
                        quietUntil = System.nanoTime() + SETTLE.toNanos();
                    }
                }
                byte[] now = digest();
                if (now != null && !Arrays.equals(now, lastDigest)) {
                    lastDigest = now;
                    log.info("{} changed: reloading", file);
                    try {
                        control.reload();
                    } catch (ChangeRejected e) {
                        // logged and counted by the control plane; the previous config keeps running
                    }
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed: stop watching
        }
    }

    /**
     * Takes the events of {@code key}; whether one of them may have changed the config: anything
     * but another file's content being written. A rename over the config, a symlink swapped
     * (Kubernetes), a lost event: each may be it.
     */
    private boolean drain(WatchKey key) {
        boolean relevant = false;
        for (WatchEvent<?> event : key.pollEvents()) {
            relevant |= event.kind() != StandardWatchEventKinds.ENTRY_MODIFY || file.getFileName().equals(event.context());
        }
        key.reset();
        return relevant;
    }

    /** SHA-256 of the file, or {@code null} while it is missing (mid-rename). */
    private byte[] digest() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        } catch (IOException e) {
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        watcher.close();
        thread.interrupt();
    }
}
