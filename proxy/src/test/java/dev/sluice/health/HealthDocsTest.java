package dev.sluice.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.config.Config;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.HealthCheck;
import dev.sluice.testing.DocsPage;
import java.io.IOException;
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

    private static String page() throws IOException {
        return DocsPage.read("health.md");
    }
}
