package dev.sluice.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A terminal program under test, run in a detached tmux session of a fixed size: keys go in with
 * {@code send-keys}, the screen comes out with {@code capture-pane}, as a person would type and
 * read. The session is killed on {@link #close()}.
 */
public final class Tmux implements AutoCloseable {

    private final String session;

    private Tmux(String session) {
        this.session = session;
    }

    /** Runs {@code command} (one shell command line) in a new {@code columns}x{@code rows} terminal. */
    public static Tmux start(String command, int columns, int rows) throws IOException, InterruptedException {
        String session = "sluice-test-" + UUID.randomUUID().toString().substring(0, 8);
        run("tmux", "new-session", "-d", "-s", session, "-x", Integer.toString(columns), "-y", Integer.toString(rows),
                command);
        // Keep the pane after the program exits, so a test can read its last screen.
        run("tmux", "set-option", "-t", session, "remain-on-exit", "on");
        return new Tmux(session);
    }

    /** Sends keys as tmux names them: text, or {@code Enter}, {@code Tab}, {@code C-r}, {@code F1}, {@code BTab}… */
    public Tmux keys(String... keys) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux", "send-keys", "-t", session));
        command.addAll(List.of(keys));
        run(command.toArray(String[]::new));
        return this;
    }

    /** Sends {@code text} as typed, character by character (no key names). */
    public Tmux type(String text) throws IOException, InterruptedException {
        run("tmux", "send-keys", "-t", session, "-l", text);
        return this;
    }

    /** The screen as text, one line a row. */
    public String screen() throws IOException, InterruptedException {
        return run("tmux", "capture-pane", "-p", "-t", session);
    }

    /** Waits until the screen contains {@code text}; the screen then. */
    public String awaitText(String text, Duration timeout) throws IOException, InterruptedException {
        return await(s -> s.contains(text), "\"" + text + "\"", timeout);
    }

    /** Waits until {@code condition} holds for the screen; the screen then. */
    public String await(Predicate<String> condition, String what, Duration timeout)
            throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        String screen = screen();
        while (!condition.test(screen)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("no " + what + " on the screen within " + timeout + ":\n" + screen);
            }
            Thread.sleep(50);
            screen = screen();
        }
        return screen;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("tmux", "kill-session", "-t", session);
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}
