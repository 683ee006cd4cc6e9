package dev.sluice.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.DocsPage;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Keeps docs/inspect.md true: its lists of curl options, its exit codes and its numbers are the code's. */
class InspectDocsTest {

    private static final Pattern OPTION = Pattern.compile("`(--[a-z0-9.-]+|-[A-Za-z0-9#:])`");

    private static String page() throws IOException {
        return DocsPage.read("inspect.md");
    }

    /** The text of the section under {@code heading}, up to the next heading. */
    private static String section(String heading) throws IOException {
        String page = page();
        int start = page.indexOf(heading + "\n");
        assertThat(start).as(heading).isNotNegative();
        int end = page.indexOf("\n#", start + heading.length());
        return page.substring(start, end < 0 ? page.length() : end);
    }

    private static Set<String> optionsIn(String text) {
        Set<String> found = new TreeSet<>();
        Matcher m = OPTION.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static Set<String> spellings(CurlOption.Kind... kinds) {
        Set<String> out = new TreeSet<>();
        for (CurlOption o : CurlOption.values()) {
            if (Arrays.asList(kinds).contains(o.kind())) {
                out.add("--" + o.longName());
                if (o.shortName() != 0) {
                    out.add("-" + o.shortName());
                }
            }
        }
        return out;
    }

    @Test
    void eachOptionIsListedWhereItsKindSays() throws IOException {
        assertThat(optionsIn(section("### Followed")))
                .containsAll(spellings(CurlOption.Kind.VALUE, CurlOption.Kind.FLAG))
                .doesNotContainAnyElementsOf(spellings(CurlOption.Kind.IGNORED, CurlOption.Kind.UNSUPPORTED,
                        CurlOption.Kind.UNSUPPORTED_VALUE));
        assertThat(optionsIn(section("### Taken, changing nothing"))).isEqualTo(spellings(CurlOption.Kind.IGNORED));
        assertThat(optionsIn(section("### Refused")))
                .isEqualTo(spellings(CurlOption.Kind.UNSUPPORTED, CurlOption.Kind.UNSUPPORTED_VALUE));
    }

    @Test
    void theExitCodesAreTheCodes() throws IOException {
        Set<Integer> documented = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\| `(\\d+)` \\|").matcher(section("## Exit status"));
        while (m.find()) {
            documented.add(Integer.parseInt(m.group(1)));
        }
        Set<Integer> codes = new HashSet<>(Set.of(0, Transfer.HTTP_ERROR, CurlException.USAGE, CurlException.BAD_URL,
                CurlException.UNSUPPORTED_PROTOCOL, CurlException.READ_ERROR, 23 /* InspectCommand.WRITE_ERROR */));
        for (Failure.Kind k : Failure.Kind.values()) {
            codes.add(k.exitCode());
        }
        assertThat(documented).isEqualTo(new TreeSet<>(codes));
    }

    @Test
    void theNumbersAreTheCodes() throws IOException {
        String page = page();
        assertThat(page).contains("At most **" + History.MAX_ENTRIES + "** entries");
        assertThat(page).contains("longer than **" + History.MAX_ENTRY_BYTES / 1024 + " KiB**");
        assertThat(page).contains("(default " + SendOptions.DEFAULT_CONNECT_TIMEOUT.toSeconds() + ")");
        assertThat(page).contains("(default " + SendOptions.DEFAULT_STALL_TIMEOUT.toSeconds() + ")");
        assertThat(page).contains("default " + (SendOptions.DEFAULT_MAX_FILE_SIZE >> 20) + "M");
        assertThat(page).contains("(default " + SendOptions.DEFAULT_MAX_REDIRECTS + ";");
        assertThat(page).contains("taken as " + SendOptions.MAX_REDIRECTS + ")");
        assertThat(page).contains("over " + (LocalFiles.MAX_SIZE >> 20) + " MiB");
        assertThat(page).contains("default port " + HttpProxy.DEFAULT_PORT);
    }
}
