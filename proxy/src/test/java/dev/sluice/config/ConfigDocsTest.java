package dev.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.testing.DocsPage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Keeps docs/config.md true: its example files load, and its error example prints what it shows. */
class ConfigDocsTest {

    private static final Pattern BLOCK = Pattern.compile("```(\\w*)\\n(.*?)```", Pattern.DOTALL);

    @Test
    void theExampleFilesLoad() throws IOException {
        List<String> files = blocks(guide().split("## Errors")[0]).stream()
                .filter(b -> b.language().equals("yaml") && b.text().startsWith("listen:"))
                .map(Block::text)
                .toList();

        assertThat(files).hasSizeGreaterThanOrEqualTo(2);
        for (String yaml : files) {
            try {
                ConfigLoader.parse(yaml, "sluice.yaml");
            } catch (ConfigException e) {
                throw new AssertionError("docs/config.md example does not load:\n" + yaml + "\n" + e.getMessage(), e);
            }
        }
    }

    @Test
    void theErrorExampleShowsTheRealOutput() throws IOException {
        List<Block> blocks = blocks(guide().split("## Errors")[1]);
        Block file = blocks.stream().filter(b -> b.language().equals("yaml")).findFirst().orElseThrow();
        Block output = blocks.get(blocks.indexOf(file) + 1);

        assertThatThrownBy(() -> ConfigLoader.parse(file.text(), "sluice.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(output.text().strip());
    }

    private record Block(String language, String text) {}

    private static List<Block> blocks(String markdown) {
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(markdown);
        while (m.find()) {
            blocks.add(new Block(m.group(1), m.group(2)));
        }
        return blocks;
    }

    private static String guide() throws IOException {
        return DocsPage.read("config.md");
    }
}
