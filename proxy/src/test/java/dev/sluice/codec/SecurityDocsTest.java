package dev.sluice.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.config.CircuitLimits;
import dev.sluice.config.FrontDoor;
import dev.sluice.config.PoolTimeouts;
import dev.sluice.config.UpstreamSettings;
import dev.sluice.testing.DocsPage;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Keeps the table of every limit and timeout in docs/security.md true to the code's defaults. */
class SecurityDocsTest {

    @Test
    void theTableShowsTheDefaultsTheCodeHas() throws Exception {
        String page = DocsPage.read("security.md");
        FrontDoor.Timeouts t = FrontDoor.Timeouts.DEFAULTS;
        assertThat(row(page, "`timeouts.header`")).contains(seconds(t.header()));
        assertThat(row(page, "`timeouts.keep_alive`")).contains(seconds(t.keepAlive()));
        assertThat(row(page, "`timeouts.body`")).contains(seconds(t.body()));
        assertThat(row(page, "`timeouts.write`")).contains(seconds(t.write()));
        FrontDoor.Limits l = FrontDoor.Limits.DEFAULTS;
        assertThat(row(page, "`limits.max_connections`")).contains("`" + l.maxConnections() + "`");
        assertThat(row(page, "`limits.overload.memory_high`"))
                .contains("`" + l.overload().memoryHigh() + "%` / `" + l.overload().memoryLow() + "%`");
        assertThat(row(page, "`limits.overload.fds_high`"))
                .contains("`" + l.overload().fdsHigh() + "%` / `" + l.overload().fdsLow() + "%`");
        assertThat(row(page, "request header fields")).contains("| " + RequestValidator.MAX_FIELDS + " |");
        assertThat(row(page, "`pools.*.limits.max_requests`")).contains("`" + CircuitLimits.DEFAULTS.maxRequests() + "`");
        assertThat(row(page, "`pools.*.timeouts.response`")).contains(seconds(PoolTimeouts.DEFAULTS.response()));
        assertThat(row(page, "`pools.*.timeouts.idle`")).contains(seconds(PoolTimeouts.DEFAULTS.idle()));
        assertThat(row(page, "`upstream.connect_timeout`")).contains(seconds(UpstreamSettings.DEFAULTS.connectTimeout()));
    }

    private static String row(String page, String key) {
        return page.lines().filter(l -> l.startsWith("|") && l.contains(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + key + " in docs/security.md"));
    }

    private static String seconds(Duration d) {
        return "`" + d.toSeconds() + "s`";
    }
}
