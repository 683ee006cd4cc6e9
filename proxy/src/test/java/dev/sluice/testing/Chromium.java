package dev.sluice.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real headless Chromium (Debian's {@code /usr/bin/chromium}) with the DevTools protocol on a port
 * it chooses, in a fresh profile. Speak to it with {@link Cdp}; {@link #close()} kills it and every
 * process it started, by PID.
 */
public final class Chromium implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final Duration START_WITHIN = Duration.ofSeconds(30);

    private final Process process;
    private final Path profile;
    private final URI browser;

    private Chromium(Process process, Path profile, URI browser) {
        this.process = process;
        this.profile = profile;
        this.browser = browser;
    }

    /**
     * Starts Chromium with its profile in {@code profile} (an empty directory).
     *
     * @throws AssertionError when it is not installed, naming the script that installs it
     */
    public static Chromium start(Path profile) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError(BINARY + " is missing: the dashboard test needs Debian's chromium. Install it with"
                    + " scripts/install-test-tools.sh (./sluice test runs it first).");
        }
        Process process = new ProcessBuilder(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--remote-debugging-port=0", "about:blank"))
                .redirectErrorStream(true)
                .redirectOutput(profile.resolveSibling(profile.getFileName() + ".log").toFile())
                .start();
        try {
            return new Chromium(process, profile, URI.create(waitForPort(process, profile.resolve("DevToolsActivePort"))));
        } catch (IOException | InterruptedException | RuntimeException e) {
            kill(process);
            throw e;
        }
    }

    /** {@code ws://127.0.0.1:PORT/devtools/browser/ID}, from the file Chromium writes once it listens. */
    private static String waitForPort(Process process, Path file) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("chromium exited at start with " + process.exitValue());
            }
            List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
            if (lines.size() >= 2) {
                return "ws://127.0.0.1:" + lines.get(0).strip() + lines.get(1).strip();
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("chromium did not write " + file + " within " + START_WITHIN);
    }

    public URI browserWebSocket() {
        return browser;
    }

    /** Kills it, and removes the profile's Singleton* links, which point outside the profile. */
    @Override
    public void close() throws IOException {
        kill(process);
        try (var files = Files.list(profile)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("Singleton")).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("chromium (pid " + process.pid() + ") did not exit after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
