package dev.sluice.inspect;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads what options name: {@code -d @file}, {@code -F name=@file}, {@code -T file},
 * {@code -H @file}, and standard input for {@code -}. A request is held in memory whole, so a file
 * larger than {@link #MAX_SIZE} is refused; one that cannot be read gets curl's exit code 26.
 */
final class LocalFiles {

    static final long MAX_SIZE = 64L << 20;

    private final InputStream stdin;
    private boolean stdinRead;

    LocalFiles(InputStream stdin) {
        this.stdin = stdin;
    }

    /** The bytes of {@code name}, or of standard input for {@code -}; {@code option} names the option for errors. */
    byte[] read(String name, String option) throws CurlException {
        if (name.equals("-")) {
            return readStdin(option);
        }
        Path path = Path.of(name);
        try {
            long size = Files.size(path);
            if (size > MAX_SIZE) {
                throw tooLarge(name, option);
            }
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw CurlException.unreadable(option + ": no file " + name);
        } catch (IOException e) {
            throw CurlException.unreadable(option + ": cannot read " + name + ": " + e);
        }
    }

    /** Standard input, read once: a second {@code @-} gets nothing, as in curl. */
    private byte[] readStdin(String option) throws CurlException {
        if (stdinRead) {
            return new byte[0];
        }
        stdinRead = true;
        try {
            byte[] b = stdin.readNBytes((int) MAX_SIZE + 1);
            if (b.length > MAX_SIZE) {
                throw tooLarge("standard input", option);
            }
            return b;
        } catch (IOException e) {
            throw CurlException.unreadable(option + ": cannot read standard input: " + e);
        }
    }

    private static CurlException tooLarge(String what, String option) {
        return CurlException.unreadable(option + ": " + what + " is larger than " + (MAX_SIZE >> 20)
                + " MiB, the most sluice inspect holds in memory for a request");
    }
}
