package dev.sluice.inspect;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes a {@link RequestSpec} as a curl command ("copy as cURL") that {@link CurlCommand}
 * reads back into an equal spec, and that curl runs as the same request. Headers the reader
 * would add anyway are left out when they are where it would put them; every other header is
 * written with {@code -H}, and a default it would add but the spec lacks is removed with
 * {@code -H 'Name:'}. The body is written with {@code --data-raw}, bytes that are not UTF-8 as
 * {@code \xHH}.
 */
public final class CurlRenderer {

    private static final Header DEFAULT_USER_AGENT = new Header("User-Agent", CurlParser.DEFAULT_USER_AGENT);
    private static final Header DEFAULT_ACCEPT = new Header("Accept", "*/*");
    private static final Header DEFAULT_CONTENT_TYPE = new Header("Content-Type", "application/x-www-form-urlencoded");

    private CurlRenderer() {}

    /** One line: {@code curl 'https://…' -H '…' --data-raw '…'}. */
    public static String render(RequestSpec spec) {
        List<String> words = new ArrayList<>();
        words.add("curl");
        for (List<String> group : groups(spec)) {
            words.addAll(group);
        }
        return ShellWords.join(words);
    }

    /** As browsers write it: the URL, then each option on a line of its own after {@code  \}. */
    public static String renderMultiline(RequestSpec spec) {
        StringBuilder b = new StringBuilder("curl");
        List<List<String>> groups = groups(spec);
        for (int i = 0; i < groups.size(); i++) {
            b.append(i == 0 ? " " : " \\\n  ").append(ShellWords.join(groups.get(i)));
        }
        return b.toString();
    }

    /** The arguments, unquoted, without {@code curl}: what a program would pass to curl. */
    public static List<String> args(RequestSpec spec) {
        return groups(spec).stream().flatMap(List::stream).toList();
    }

    /** The URL, then each option with its value. */
    private static List<List<String>> groups(RequestSpec spec) {
        List<List<String>> g = new ArrayList<>();
        g.add(List.of(spec.url().toString()));
        if (spec.url().hasDotSegments()) {
            g.add(List.of("--path-as-is"));
        }
        String inferred = spec.hasBody() ? "POST" : "GET";
        if (spec.method().equals("HEAD") && !spec.hasBody()) {
            g.add(List.of("-I"));
        } else if (!spec.method().equals(inferred)) {
            g.add(List.of("-X", spec.method()));
        }
        headers(spec, g);
        if (spec.hasBody()) {
            g.add(List.of("--data-raw", spec.body().utf8()));
        }
        options(spec.options(), g);
        return g;
    }

    private static void headers(RequestSpec spec, List<List<String>> g) {
        List<Header> rest = new ArrayList<>(spec.headers());
        // The reader puts User-Agent and Accept first and the body's Content-Type last, unless -H names them.
        boolean keepUserAgent = takeFirstIfOnly(rest, DEFAULT_USER_AGENT);
        boolean keepAccept = takeFirstIfOnly(rest, DEFAULT_ACCEPT);
        boolean keepContentType = spec.hasBody() && takeLastIfOnly(rest, DEFAULT_CONTENT_TYPE);
        List<String> removals = new ArrayList<>();
        if (!keepUserAgent && !Header.any(rest, DEFAULT_USER_AGENT.name())) {
            removals.add(DEFAULT_USER_AGENT.name());
        }
        if (!keepAccept && !Header.any(rest, DEFAULT_ACCEPT.name())) {
            removals.add(DEFAULT_ACCEPT.name());
        }
        if (spec.hasBody() && !keepContentType && !Header.any(rest, DEFAULT_CONTENT_TYPE.name())) {
            removals.add(DEFAULT_CONTENT_TYPE.name());
        }
        for (AutomaticHeader a : AutomaticHeader.values()) {
            if (spec.suppressed().contains(a)) {
                removals.add(a.headerName());
            }
        }
        for (String name : removals) {
            g.add(List.of("-H", name + ":"));
        }
        for (Header h : rest) {
            g.add(List.of("-H", h.value().isEmpty() ? h.name() + ";" : h.name() + ": " + h.value()));
        }
    }

    /** Removes {@code h} from the front of {@code rest} when it is there, exactly, and its name is nowhere else. */
    private static boolean takeFirstIfOnly(List<Header> rest, Header h) {
        if (rest.isEmpty() || !rest.getFirst().equals(h) || Header.any(rest.subList(1, rest.size()), h.name())) {
            return false;
        }
        rest.removeFirst();
        return true;
    }

    /** Removes {@code h} from the end of {@code rest} when it is there, exactly, and its name is nowhere else. */
    private static boolean takeLastIfOnly(List<Header> rest, Header h) {
        if (rest.isEmpty() || !rest.getLast().equals(h) || Header.any(rest.subList(0, rest.size() - 1), h.name())) {
            return false;
        }
        rest.removeLast();
        return true;
    }

    private static void options(SendOptions o, List<List<String>> g) {
        if (o.version() != HttpVersion.HTTP_1_1) {
            g.add(List.of(o.version().option()));
        }
        if (o.insecure()) {
            g.add(List.of("-k"));
        }
        if (o.caCert() != null) {
            g.add(List.of("--cacert", o.caCert().toString()));
        }
        if (o.followRedirects()) {
            g.add(List.of("-L"));
        }
        if (o.maxRedirects() != SendOptions.DEFAULT_MAX_REDIRECTS) {
            g.add(List.of("--max-redirs", Integer.toString(o.maxRedirects())));
        }
        if (o.proxy() != null) {
            g.add(List.of("-x", o.proxy().toString()));
            if (o.proxy().credentials() != null) {
                g.add(List.of("-U", o.proxy().credentials()));
            }
        }
        if (!o.connectTimeout().equals(SendOptions.DEFAULT_CONNECT_TIMEOUT)) {
            g.add(List.of("--connect-timeout", seconds(o.connectTimeout())));
        }
        if (o.maxTime() != null) {
            g.add(List.of("-m", seconds(o.maxTime())));
        }
        if (!o.stallTimeout().equals(SendOptions.DEFAULT_STALL_TIMEOUT)) {
            g.add(List.of("-y", seconds(o.stallTimeout())));
        }
        if (o.maxFileSize() != SendOptions.DEFAULT_MAX_FILE_SIZE) {
            g.add(List.of("--max-filesize", Long.toString(o.maxFileSize())));
        }
    }

    /** {@code 2}, {@code 0.5}: seconds to the millisecond. */
    private static String seconds(Duration d) {
        return BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString().toLowerCase(Locale.ROOT);
    }
}
