package dev.sluice.inspect;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/** Random requests of every shape a spec can take, for property tests. */
final class RandomSpecs {

    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "X-Sync");
    private static final List<String> HOSTS = List.of("example.com", "127.0.0.1", "::1", "a-b.example", "bücher.example",
            "under_score.local");
    private static final List<String> NAMES = List.of("User-Agent", "Accept", "Content-Type", "Host", "Content-Length",
            "Cookie", "Authorization", "X-Trace", "x-trace", "Accept-Encoding", "Referer", "sec-ch-ua");
    private static final String URL_PALETTE = "az09/?&=#%. é~'!$()*+,;:@[]{}|\\^\"<>`";

    private RandomSpecs() {}

    static RequestSpec spec(RandomGenerator r) throws CurlException {
        RequestSpec.Builder b = RequestSpec.builder(url(r)).method(pick(r, METHODS));
        for (int n = r.nextInt(0, 7); n > 0; n--) {
            switch (r.nextInt(4)) {
                case 0 -> b.header("User-Agent", CurlParser.DEFAULT_USER_AGENT);
                case 1 -> b.header("Accept", "*/*");
                case 2 -> b.header("Content-Type", "application/x-www-form-urlencoded");
                default -> b.header(pick(r, NAMES), headerValue(r));
            }
        }
        Set<AutomaticHeader> suppressed = EnumSet.noneOf(AutomaticHeader.class);
        for (AutomaticHeader a : AutomaticHeader.values()) {
            if (r.nextInt(5) == 0) {
                suppressed.add(a);
            }
        }
        b.suppressed(suppressed);
        if (r.nextBoolean()) {
            byte[] body = new byte[r.nextInt(0, 40)];
            r.nextBytes(body);
            b.body(r.nextBoolean() ? ByteString.of(body) : ByteString.utf8(ShellWordsTest.randomWord(r)));
        }
        return b.options(options(r)).build();
    }

    static Url url(RandomGenerator r) throws CurlException {
        StringBuilder rest = new StringBuilder("/");
        for (int n = r.nextInt(0, 14); n > 0; n--) {
            rest.append(r.nextInt(10) == 0 ? "/../" : String.valueOf(URL_PALETTE.charAt(r.nextInt(URL_PALETTE.length()))));
        }
        String host = pick(r, HOSTS);
        String text = (r.nextBoolean() ? "http://" : "https://") + (host.contains(":") ? "[" + host + "]" : host)
                + (r.nextBoolean() ? "" : ":" + r.nextInt(1, 65536)) + rest;
        return Url.parse(text, r.nextBoolean());
    }

    /** A header value: no leading white space, no CR, LF or NUL; any other character or byte. */
    private static String headerValue(RandomGenerator r) {
        String v = ShellWordsTest.randomWord(r).replaceAll("[\r\n\u0000]", "x").replaceFirst("^[ \t]+", "");
        return ByteString.utf8(v).utf8(); // canonical: as it would come from bytes
    }

    private static SendOptions options(RandomGenerator r) {
        SendOptions.Builder o = SendOptions.builder();
        if (r.nextInt(3) == 0) {
            o.version(pick(r, List.of(HttpVersion.values())));
        }
        o.insecure(r.nextBoolean()).followRedirects(r.nextBoolean());
        if (r.nextInt(4) == 0) {
            o.caCert(Path.of("certs", "ca one.pem"));
        }
        if (r.nextInt(3) == 0) {
            o.maxRedirects(r.nextInt(0, SendOptions.MAX_REDIRECTS + 1));
        }
        if (r.nextInt(3) == 0) {
            o.proxy(new HttpProxy(pick(r, List.of("proxy.local", "10.0.0.1", "::1")), r.nextInt(1, 65536),
                    r.nextBoolean() ? null : "user:p@ss word"));
        }
        if (r.nextInt(3) == 0) {
            o.connectTimeout(Duration.ofMillis(r.nextLong(1, 100_000)));
        }
        if (r.nextInt(3) == 0) {
            o.maxTime(Duration.ofMillis(r.nextLong(1, 100_000)));
        }
        if (r.nextInt(3) == 0) {
            o.stallTimeout(Duration.ofMillis(r.nextLong(1, 100_000)));
        }
        if (r.nextInt(3) == 0) {
            o.maxFileSize(r.nextLong(1, SendOptions.MAX_FILE_SIZE + 1));
        }
        return o.build();
    }

    private static <T> T pick(RandomGenerator r, List<T> list) {
        return list.get(r.nextInt(list.size()));
    }
}
