package dev.sluice.inspect.tui;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The escape sequence that asks a terminal to put text on the system clipboard (OSC 52, from
 * xterm): terminals that allow it, and tmux with {@code set-clipboard on}, copy; others ignore it.
 */
final class Osc52 {

    private Osc52() {}

    static String copy(String text) {
        return "\u001b]52;c;" + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "\u0007";
    }
}
