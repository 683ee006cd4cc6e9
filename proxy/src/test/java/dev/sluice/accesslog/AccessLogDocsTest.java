package dev.sluice.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.config.AccessLogSettings;
import dev.sluice.config.AccessLogSettings.Format;
import dev.sluice.config.AccessLogSettings.Syslog;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.HostPort;
import dev.sluice.testing.DocsPage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/access-log.md true: its example config loads as it says, its example lines are what
 * the formats write, its numbers are the code's, and its logrotate snippet is the shipped one.
 */
class AccessLogDocsTest {

    private static final Pattern BLOCK = Pattern.compile("```(\\w*)\\n(.*?)```", Pattern.DOTALL);

    @Test
    void theExampleConfigLoads() throws Exception {
        String yaml = blocks("yaml").getFirst();

        assertThat(ConfigLoader.parse(yaml, "sluice.yaml").accessLog()).isEqualTo(new AccessLogSettings(
                Path.of("/var/log/sluice/access.log"), false, new Syslog.Udp(new HostPort("127.0.0.1", 514)),
                Format.JSON, AccessLogSettings.DEFAULT_QUEUE));
    }

    @Test
    void theExampleLinesAreWhatTheFormatsWrite() throws IOException {
        String page = page();

        assertThat(blocks("json")).containsExactly(
                AccessLogFormatTest.line(AccessLogFormat.of(Format.JSON), Records.typical()) + "\n");
        assertThat(page).contains("```\n" + AccessLogFormatTest.line(new CombinedFormat(), Records.typical()) + "\n```");
        assertThat(page).contains("  " + AccessLogFormatTest.line(new CombinedFormat(), Records.noRequest()) + "\n");
    }

    @Test
    void theNumbersAreTheCodes() throws IOException {
        String page = page();

        assertThat(page).contains("| `queue` | `" + AccessLogSettings.DEFAULT_QUEUE + "` |");
        assertThat(page).contains("1-" + AccessLogSettings.MAX_QUEUE);
        assertThat(page).contains("at most **" + SyslogMessage.MAX_DATAGRAM + " bytes**");
        assertThat(page).contains("takes nothing for " + TcpSyslogSink.STALL_MILLIS / 1000 + " s");
        assertThat(page).contains("takes up to " + AccessLog.BATCH + " records at a time");
        assertThat(page).contains("`" + SyslogMessage.PRI + "`: facility `local0`, severity `info`");
    }

    @Test
    void theLogrotateSnippetIsTheShippedFile() throws IOException {
        String shipped = Files.readAllLines(shippedLogrotate()).stream()
                .filter(line -> !line.startsWith("#"))
                .reduce("", (text, line) -> text + line + "\n");

        assertThat(blocks("")).contains(shipped);
    }

    private static List<String> blocks(String language) throws IOException {
        Matcher m = BLOCK.matcher(page());
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            if (m.group(1).equals(language)) {
                blocks.add(m.group(2));
            }
        }
        return blocks;
    }

    private static String page() throws IOException {
        return DocsPage.read("access-log.md");
    }

    private static Path shippedLogrotate() throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path file = dir.resolve("packaging/logrotate/sluice");
            if (Files.exists(file)) {
                return file;
            }
        }
        throw new IOException("packaging/logrotate/sluice not found above " + Path.of("").toAbsolutePath());
    }
}
