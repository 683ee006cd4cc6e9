package dev.sluice.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.config.Config;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.HealthCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Keeps docs/health.md true: its example loads, with the settings it says it has. */
class HealthDocsTest {

    @Test
    void theExampleLoads() throws Exception {
        Matcher yaml = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(page());
        assertThat(yaml.find()).as("a yaml example in docs/health.md").isTrue();

        Config config = ConfigLoader.parse(yaml.group(1), "sluice.yaml");

        HealthCheck check = config.pools().get("web").policy().healthCheck();
        assertThat(check.path()).isEqualTo("/healthz");
        assertThat(check.expectMax()).isEqualTo(299);
    }

    private static String page() throws Exception {
        // Tests run in the module directory; the docs live at the project root.
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path page = dir.resolve("docs/health.md");
            if (Files.exists(page)) {
                return Files.readString(page);
            }
        }
        throw new AssertionError("docs/health.md not found above " + Path.of("").toAbsolutePath());
    }
}
