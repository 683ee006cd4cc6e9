package dev.sluice.accept;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.config.Config;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.FrontDoor;
import dev.sluice.testing.DocsPage;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Keeps docs/limits.md true: its example loads as it says, and its defaults are the real ones. */
class LimitsDocsTest {

    @Test
    void theExampleLoads() throws Exception {
        Matcher yaml = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(page());
        assertThat(yaml.find()).as("a yaml example in docs/limits.md").isTrue();

        Config config = ConfigLoader.parse(yaml.group(1), "sluice.yaml");

        assertThat(config.front().limits()).isEqualTo(new FrontDoor.Limits(10_000, 256, 50, 100));
        assertThat(yaml.find()).as("the overload example").isTrue();
        assertThat(ConfigLoader.parse("listen: 127.0.0.1:80\npools: {}\n" + yaml.group(1), "sluice.yaml")
                .front().limits().overload()).isEqualTo(FrontDoor.Overload.DEFAULTS);
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() throws Exception {
        String page = page();
        FrontDoor.Limits d = FrontDoor.Limits.DEFAULTS;
        assertThat(page).contains("| `max_connections` | `" + d.maxConnections() + "`");
        assertThat(page).contains("| `max_connections_per_ip` | `" + d.maxConnectionsPerIp() + "`");
        assertThat(page).contains("| `rate_per_ip` | `" + d.ratePerIp() + "`");
        assertThat(page).contains("| `burst` | `" + d.burst() + "`");
        FrontDoor.Overload o = d.overload();
        assertThat(page).contains("| `memory_high` | `" + o.memoryHigh() + "%`");
        assertThat(page).contains("| `memory_low` | `" + o.memoryLow() + "%`");
        assertThat(page).contains("| `fds_high` | `" + o.fdsHigh() + "%`");
        assertThat(page).contains("| `fds_low` | `" + o.fdsLow() + "%`");
        assertThat(page).contains(String.format(java.util.Locale.ROOT, "at most %,d addresses", RateLimiter.DEFAULT_MAX_BUCKETS));
    }

    private static String page() throws IOException {
        return DocsPage.read("limits.md");
    }
}
