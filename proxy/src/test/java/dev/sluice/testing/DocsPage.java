package dev.sluice.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A page of the project's docs, for tests that keep the docs' examples and defaults true. */
public final class DocsPage {

    private DocsPage() {}

    /** The text of {@code docs/NAME}; tests run in the module directory, the docs live at the root. */
    public static String read(String name) throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path page = dir.resolve("docs").resolve(name);
            if (Files.exists(page)) {
                return Files.readString(page);
            }
        }
        throw new IOException("docs/" + name + " not found above " + Path.of("").toAbsolutePath());
    }
}
