package dev.sluice.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.route.RouteTable;
import dev.sluice.testing.DocsPage;
import dev.sluice.testing.PrometheusText;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Keeps docs/metrics.md true: it documents every sluice_ metric there is, and none that is not; its limits are the real ones. */
class MetricsDocsTest {

    @Test
    void everyMetricIsDocumentedAndEveryDocumentedMetricExists() throws IOException {
        Set<String> exposed = new TreeSet<>();
        RouteTable table = Records.table(Records.backend(9001));
        try (ProxyMetrics metrics = ProxyMetrics.builder(() -> table).allocator(PooledByteBufAllocator.DEFAULT)
                .manualTicks().start()) {
            metrics.accept(Records.ok(1000));
            metrics.accessLogDropped(() -> 0);
            metrics.upstreamIdleConnections(() -> 0);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            metrics.writeText(out);
            PrometheusText.parse(out.toString(StandardCharsets.UTF_8)).samples().forEach(s -> {
                if (s.name().startsWith("sluice_")) {
                    exposed.add(s.name().replaceAll("_(bucket|sum|count)$", ""));
                }
            });
        }
        Set<String> documented = new TreeSet<>();
        Matcher row = Pattern.compile("^\\| `(sluice_[a-z_]+)` \\|", Pattern.MULTILINE).matcher(page());
        while (row.find()) {
            documented.add(row.group(1));
        }
        assertThat(documented).isEqualTo(exposed);
    }

    @Test
    void theRejectionCausesAndLimitsAreTheRealOnes() throws IOException {
        String page = page();
        ProxyMetrics.REJECTION_CAUSES.forEach(cause -> assertThat(page).contains("`" + cause + "`"));
        assertThat(page).contains(String.format(Locale.ROOT, "**At most %,d hosts**", ProxyMetrics.DEFAULT_MAX_HOSTS));
        assertThat(page).contains(String.format(Locale.ROOT, "at most **%,d** (route, pool, backend) triples",
                ProxyMetrics.DEFAULT_MAX_SERIES));
        assertThat(page).contains("the last " + ProxyMetrics.HISTORY_SECONDS + " seconds");
    }

    private static String page() throws IOException {
        return DocsPage.read("metrics.md");
    }
}
