package dev.sluice.config;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A config that cannot be used, with every problem found in it. The message has one line per
 * problem, {@code FILE:LINE: KEYPATH: message}, the way compilers report errors.
 */
public final class ConfigException extends Exception {

    private final List<Problem> problems;

    public ConfigException(List<Problem> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    /**
     * {@code file} (the config, or a file it names at {@code keyPath}) cannot be read: says why in
     * words, like {@code cannot read the admin token: permission denied}.
     */
    public static ConfigException unreadable(Path file, String keyPath, String what, IOException e) {
        String why = switch (e) {
            case NoSuchFileException x -> "no such file";
            case AccessDeniedException x -> "permission denied";
            case CharacterCodingException x -> "it is not UTF-8 text";
            default -> e.getMessage();
        };
        return new ConfigException(List.of(new Problem(file.toString(), 0, keyPath, "cannot read " + what + ": " + why)));
    }

    /** The problems in the order they appear in the source. */
    public List<Problem> problems() {
        return problems;
    }

    private static String format(List<Problem> problems) {
        requireNonNull(problems, "problems");
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        return problems.stream().map(Problem::toString).collect(Collectors.joining("\n"));
    }

    /**
     * One thing wrong with a config.
     *
     * @param source where the config came from, usually the file name as given
     * @param line 1-based line of the offending text, or 0 when no line applies
     * @param keyPath where in the config, like {@code pools.apps.backends[1]}; empty for the
     *     whole document
     */
    public record Problem(String source, int line, String keyPath, String message) {
        public Problem {
            requireNonNull(source, "source");
            requireNonNull(keyPath, "keyPath");
            requireNonNull(message, "message");
            if (line < 0) {
                throw new IllegalArgumentException("line " + line + " is negative");
            }
        }

        /** {@code FILE:LINE: KEYPATH: message}, leaving out the line or key path when there is none. */
        @Override
        public String toString() {
            return source + (line > 0 ? ":" + line : "") + ": " + (keyPath.isEmpty() ? "" : keyPath + ": ") + message;
        }
    }
}
