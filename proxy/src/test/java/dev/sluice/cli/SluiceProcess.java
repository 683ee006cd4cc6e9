package dev.sluice.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code sluice ARGS} as its own JVM, the way an operator runs it; output goes to a file. */
final class SluiceProcess implements AutoCloseable {

    private final Process process;
    private final Path output;

    private SluiceProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    static SluiceProcess start(String... args) throws IOException {
        return start(Map.of(), args);
    }

    /** With {@code env} added; the admin API's variables of the test's own environment are left out. */
    static SluiceProcess start(Map<String, String> env, String... args) throws IOException {
        return start(List.of(), List.of(), env, args);
    }

    /**
     * Run by {@code wrapper} (such as {@code prlimit --nofile=256 --}), with {@code jvmOptions}
     * (such as {@code -XX:MaxDirectMemorySize=32m}).
     */
    static SluiceProcess start(List<String> wrapper, List<String> jvmOptions, String... args) throws IOException {
        return start(wrapper, jvmOptions, Map.of(), args);
    }

    private static SluiceProcess start(List<String> wrapper, List<String> jvmOptions, Map<String, String> env,
            String... args) throws IOException {
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                // the production logging config, not the tests' quieter one
                "-Dlogback.configurationFile=logback.xml"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.sluice.Sluice"));
        command.addAll(List.of(args));
        Path output = Files.createTempFile("sluice-cli", ".log");
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("SLUICE_ADMIN"));
        builder.environment().putAll(env);
        Process p = builder
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        return new SluiceProcess(p, output);
    }

    /** Runs to its end (at most 30 s); the exit code. */
    int await() throws InterruptedException {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("sluice did not exit; output:\n" + output());
        }
        return process.exitValue();
    }

    /** Waits until the output contains {@code text}. */
    void awaitOutput(String text, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!output().contains(text)) {
            if (System.nanoTime() > end || !process.isAlive()) {
                throw new AssertionError("no \"" + text + "\" in the output:\n" + output());
            }
            Thread.sleep(50);
        }
    }

    /** SIGTERM. */
    void terminate() {
        process.destroy();
    }

    /** SIGHUP: reload the config. */
    void hangup() throws IOException, InterruptedException {
        signal("HUP");
    }

    /** Sends the signal of that name ({@code USR1}, …). */
    void signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    /** SIGKILL: no chance to clean up, as after a crash or the OOM killer. */
    void kill() {
        process.destroyForcibly();
    }

    String output() {
        try (InputStream in = Files.newInputStream(output)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        process.destroyForcibly();
        Files.deleteIfExists(output);
    }
}
