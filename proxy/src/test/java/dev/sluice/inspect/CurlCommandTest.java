package dev.sluice.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** curl's arguments read into a request, option by option and as browsers write them. */
class CurlCommandTest {

    private static final Header DEFAULT_UA = new Header("User-Agent", CurlParser.DEFAULT_USER_AGENT);
    private static final Header ANY = new Header("Accept", "*/*");

    @TempDir
    Path dir;

    static RequestSpec parse(String... args) throws CurlException {
        return CurlCommand.parse(List.of(args), new ByteArrayInputStream(new byte[0])).request();
    }

    static String body(RequestSpec spec) {
        return new String(spec.body().toByteArray(), StandardCharsets.UTF_8);
    }

    @Test
    void aBareUrlIsAGetWithCurlsHeaders() throws CurlException {
        RequestSpec spec = parse("example.com:8080");

        assertThat(spec.method()).isEqualTo("GET");
        assertThat(spec.url().toString()).isEqualTo("http://example.com:8080/");
        assertThat(spec.headers()).containsExactly(DEFAULT_UA, ANY);
        assertThat(spec.hasBody()).isFalse();
        assertThat(spec.options()).isEqualTo(SendOptions.DEFAULTS);
    }

    @Test
    void headersAddRemoveAndGoEmpty() throws CurlException {
        RequestSpec spec = parse("-H", "X-A: 1", "-H", "Accept:", "-H", "X-Empty;", "-H", "X-A:", "-H", "x-a:  2 ",
                "-H", "Host:", "https://h/");

        assertThat(spec.headers()).containsExactly(DEFAULT_UA, new Header("X-Empty", ""), new Header("x-a", "2 "));
        assertThat(spec.suppressed()).containsExactly(AutomaticHeader.HOST);
    }

    @Test
    void combinedShortFlagsAndAttachedValues() throws CurlException {
        RequestSpec spec = parse("-sSLk", "-XPUT", "-HX-A: 1", "-m2.5", "--max-redirs=3", "http://h/p");

        assertThat(spec.method()).isEqualTo("PUT");
        assertThat(spec.header("X-A")).contains("1");
        assertThat(spec.options().followRedirects()).isTrue();
        assertThat(spec.options().insecure()).isTrue();
        assertThat(spec.options().maxTime()).isEqualTo(Duration.ofMillis(2500));
        assertThat(spec.options().maxRedirects()).isEqualTo(3);
        OutputOptions out = CurlCommand.parse(List.of("-sSv", "-o", "f", "-i", "http://h/")).output();
        assertThat(out).isEqualTo(new OutputOptions(true, true, true, true, Path.of("f")));
    }

    @Test
    void dataPiecesJoinWithAmpersandAndPost() throws Exception {
        Path file = Files.writeString(dir.resolve("d.txt"), "x=1\r\ny=2\n");
        RequestSpec spec = parse("-d", "a=1", "--data-raw", "@b", "--data-ascii", "@" + file, "--data-binary", "@" + file,
                "http://h/");

        assertThat(spec.method()).isEqualTo("POST");
        assertThat(body(spec)).isEqualTo("a=1&@b&x=1y=2&x=1\r\ny=2\n");
        assertThat(spec.headers().getLast()).isEqualTo(new Header("Content-Type", "application/x-www-form-urlencoded"));
    }

    @Test
    void dataUrlencodeInAllItsForms() throws Exception {
        Path file = Files.writeString(dir.resolve("v.txt"), "a b&c");
        RequestSpec spec = parse("--data-urlencode", "x y", "--data-urlencode", "=a=b", "--data-urlencode", "name=é ~",
                "--data-urlencode", "@" + file, "--data-urlencode", "f@" + file, "http://h/");

        assertThat(body(spec)).isEqualTo("x%20y&a%3Db&name=%C3%A9%20~&a%20b%26c&f=a%20b%26c");
    }

    @Test
    void getPutsTheDataInTheQuery() throws CurlException {
        RequestSpec spec = parse("-G", "-d", "q=a b", "--data-urlencode", "r=ü", "http://h/s?x=1");

        assertThat(spec.method()).isEqualTo("GET");
        assertThat(spec.url().target()).isEqualTo("/s?x=1&q=a%20b&r=%C3%BC");
        assertThat(spec.hasBody()).isFalse();
        assertThat(spec.header("Content-Type")).isEmpty();
    }

    @Test
    void jsonConcatenatesAndSetsItsHeaders() throws CurlException {
        RequestSpec spec = parse("--json", "{\"a\":", "--json", "1}", "http://h/");

        assertThat(body(spec)).isEqualTo("{\"a\":1}");
        assertThat(spec.headers()).containsExactly(DEFAULT_UA, new Header("Accept", "application/json"),
                new Header("Content-Type", "application/json"));
        assertThat(parse("--json", "{}", "-H", "Accept: text/plain", "http://h/").header("Accept")).contains("text/plain");
    }

    @Test
    void dataFromStandardInput() throws CurlException {
        RequestSpec spec = CurlCommand.parse(List.of("--data-binary", "@-", "http://h/"),
                new ByteArrayInputStream("from\nstdin".getBytes(StandardCharsets.UTF_8))).request();

        assertThat(body(spec)).isEqualTo("from\nstdin");
    }

    @Test
    void formPartsAsCurlWritesThem() throws Exception {
        Path upload = Files.write(dir.resolve("photo.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        Path note = Files.writeString(dir.resolve("note.txt"), "from a file");
        RequestSpec spec = parse("-F", "title=Hello", "-F", "file=@" + upload, "-F", "note=<" + note,
                "-F", "quoted=\"a;b\";type=text/x-q", "-F", "doc=@" + note + ";filename=renamed.md;type=text/markdown",
                "--form-string", "raw=@not-a-file;type=x", "http://h/upload");

        assertThat(spec.method()).isEqualTo("POST");
        String type = spec.header("Content-Type").orElseThrow();
        assertThat(type).startsWith("multipart/form-data; boundary=------------------------");
        String boundary = type.substring(type.indexOf("boundary=") + 9);
        String expected = ("--B\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nHello\r\n"
                + "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"photo.png\"\r\nContent-Type: image/png\r\n\r\n\u0089PNG\r\n"
                + "--B\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nfrom a file\r\n"
                + "--B\r\nContent-Disposition: form-data; name=\"quoted\"\r\nContent-Type: text/x-q\r\n\r\na;b\r\n"
                + "--B\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"renamed.md\"\r\nContent-Type: text/markdown\r\n\r\nfrom a file\r\n"
                + "--B\r\nContent-Disposition: form-data; name=\"raw\"\r\n\r\n@not-a-file;type=x\r\n"
                + "--B--\r\n").replace("B", boundary);
        assertThat(spec.body().toByteArray()).isEqualTo(expected.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void userCookieRefererAgentAndCompressedBecomeHeadersWhereTheyWere() throws CurlException {
        RequestSpec spec = parse("-u", "ada:pw", "-b", "a=1", "-e", "https://from/", "-A", "agent/1", "-b", "b=2",
                "--compressed", "http://h/");

        assertThat(spec.headers()).containsExactly(ANY, new Header("Authorization", "Basic YWRhOnB3"),
                new Header("Cookie", "a=1; b=2"), new Header("Referer", "https://from/"), new Header("User-Agent", "agent/1"),
                new Header("Accept-Encoding", "gzip, deflate"));
    }

    @Test
    void aHeaderOptionWinsOverTheOptionForTheSameName() throws CurlException {
        RequestSpec spec = parse("-A", "agent/1", "-H", "User-Agent: mine", "-b", "a=1", "-H", "Cookie:", "http://h/");

        assertThat(spec.headers()).containsExactly(ANY, new Header("User-Agent", "mine"));
    }

    @Test
    void credentialsInTheUrlBecomeBasicAuth() throws CurlException {
        RequestSpec spec = parse("http://us%20er:p%40ss@h/");

        assertThat(spec.url().toString()).isEqualTo("http://h/");
        assertThat(spec.header("Authorization")).contains("Basic dXMgZXI6cEBzcw==");
        assertThat(parse("--oauth2-bearer", "t", "http://u:p@h/").headers())
                .filteredOn(h -> h.named("Authorization")).containsExactly(new Header("Authorization", "Bearer t"));
    }

    @Test
    void cookieFileCookiesForTheUrl() throws Exception {
        Path jar = Files.writeString(dir.resolve("jar.txt"), String.join("\n",
                "# Netscape HTTP Cookie File",
                ".example.com\tTRUE\t/\tFALSE\t0\tall\t1",
                "#HttpOnly_shop.example.com\tFALSE\t/cart\tFALSE\t0\tcart\t2",
                "shop.example.com\tFALSE\t/\tTRUE\t0\tsecure\t3",
                "shop.example.com\tFALSE\t/\tFALSE\t1\texpired\t4",
                "other.example\tFALSE\t/\tFALSE\t0\tother\t5"));

        assertThat(parse("-b", jar.toString(), "http://shop.example.com/cart/items").header("Cookie")).contains("all=1; cart=2");
        assertThat(parse("-b", jar.toString(), "https://shop.example.com/").header("Cookie")).contains("all=1; secure=3");
    }

    @Test
    void methodsAsCurlChoosesThem() throws Exception {
        Path file = Files.writeString(dir.resolve("up.txt"), "up");
        assertThat(parse("-I", "http://h/").method()).isEqualTo("HEAD");
        assertThat(parse("-X", "DELETE", "-d", "x", "http://h/").method()).isEqualTo("DELETE");
        RequestSpec upload = parse("-T", file.toString(), "http://h/dir/");
        assertThat(upload.method()).isEqualTo("PUT");
        assertThat(upload.url().path()).isEqualTo("/dir/up.txt");
        assertThat(body(upload)).isEqualTo("up");
    }

    @Test
    void transportOptions() throws Exception {
        RequestSpec spec = parse("--http1.0", "--cacert", "ca.pem", "-x", "http://u:p@proxy.local:3128",
                "--connect-timeout", "3", "-y", "9", "--max-filesize", "10M", "--path-as-is", "http://h/a/../b");

        SendOptions o = spec.options();
        assertThat(o.version()).isEqualTo(HttpVersion.HTTP_1_0);
        assertThat(o.caCert()).isEqualTo(Path.of("ca.pem"));
        assertThat(o.proxy()).isEqualTo(new HttpProxy("proxy.local", 3128, "u:p"));
        assertThat(o.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(o.stallTimeout()).isEqualTo(Duration.ofSeconds(9));
        assertThat(o.maxFileSize()).isEqualTo(10L << 20);
        assertThat(spec.url().path()).isEqualTo("/a/../b");
        assertThat(parse("http://h/a/../b").url().path()).isEqualTo("/b");
        assertThat(parse("-x", "proxy.local", "-U", "me:pw", "http://h/").options().proxy())
                .isEqualTo(new HttpProxy("proxy.local", 1080, "me:pw"));
        assertThat(parse("--http2", "http://h/").options().version()).isEqualTo(HttpVersion.HTTP_2);
    }

    @Test
    void noMoreOptionsAfterDoubleDash() throws CurlException {
        assertThat(parse("-s", "--", "http://h/-x").url().path()).isEqualTo("/-x");
    }

    @Test
    void anUnknownOptionIsNamedWithTheNearestKnownOne() {
        assertThatThrownBy(() -> parse("--comprssed", "http://h/"))
                .isInstanceOf(CurlException.class)
                .hasMessage("unknown option --comprssed; did you mean --compressed? (supported options: docs/inspect.md)")
                .extracting(e -> ((CurlException) e).exitCode()).isEqualTo(2);
        assertThatThrownBy(() -> parse("-j", "http://h/")).hasMessageStartingWith("unknown option -j (");
        assertThatThrownBy(() -> parse("--no-such-thing", "http://h/")).hasMessageStartingWith("unknown option --no-such-thing (");
    }

    @Test
    void curlOptionsThatAreNotSupportedSaySo() {
        assertThatThrownBy(() -> parse("-w", "%{http_code}", "http://h/"))
                .hasMessageContaining("option -w (--write-out) is curl's, and sluice inspect does not support it");
    }

    @Test
    void problemsWithTheirExitCodes() {
        assertThat(exitCode("http://h/", "-H")).isEqualTo(2);
        assertThat(exitCode("-H", "NoColon", "http://h/")).isEqualTo(2);
        assertThat(exitCode("-d", "x", "-F", "a=b", "http://h/")).isEqualTo(2);
        assertThat(exitCode("-I", "-d", "x", "http://h/")).isEqualTo(2);
        assertThat(exitCode("-u", "nopassword", "http://h/")).isEqualTo(2);
        assertThat(exitCode("-A", "two\nlines", "http://h/")).isEqualTo(2);
        assertThat(exitCode("-m", "soon", "http://h/")).isEqualTo(2);
        assertThat(exitCode("--connect-timeout", "0", "http://h/")).isEqualTo(2);
        assertThat(exitCode("--max-filesize", "2G", "http://h/")).isEqualTo(2);
        assertThat(exitCode("--max-redirs", "-2", "http://h/")).isEqualTo(2);
        assertThat(exitCode("--compressed=yes", "http://h/")).isEqualTo(2);
        assertThat(exitCode("-H", "X-A: two\r\nX-B: lines", "http://h/")).isEqualTo(2);
        assertThat(exitCode("http://a/", "http://b/")).isEqualTo(2);
        assertThat(exitCode("-s")).isEqualTo(2);
        assertThat(exitCode("ftp://h/")).isEqualTo(1);
        assertThat(exitCode("http://h:99999/")).isEqualTo(3);
        assertThat(exitCode("http://bad host/")).isEqualTo(3);
        assertThat(exitCode("-d", "@" + dir.resolve("missing"), "http://h/")).isEqualTo(26);
    }

    private int exitCode(String... args) {
        try {
            parse(args);
            throw new AssertionError("parsed");
        } catch (CurlException e) {
            return e.exitCode();
        }
    }

    // ---- as browsers copy them ----

    /** Chrome 124, "Copy as cURL (bash)": a page's XHR, cookies given with -b, brackets escaped in the URL. */
    @Test
    void chromeGetWithCookies() throws CurlException {
        RequestSpec spec = CurlCommand.parseLine("""
                curl 'https://shop.example/api/cart?currency=EUR&items\\[\\]=42' \\
                  -H 'accept: application/json, text/plain, */*' \\
                  -H 'accept-language: en-GB,en;q=0.9,de;q=0.8' \\
                  -b 'session=3f9a1c; consent=essential%2Canalytics' \\
                  -H 'priority: u=1, i' \\
                  -H 'referer: https://shop.example/cart' \\
                  -H 'sec-ch-ua: "Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"' \\
                  -H 'sec-ch-ua-mobile: ?0' \\
                  -H 'sec-ch-ua-platform: "Linux"' \\
                  -H 'sec-fetch-dest: empty' \\
                  -H 'sec-fetch-mode: cors' \\
                  -H 'sec-fetch-site: same-origin' \\
                  -H 'user-agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36' \\
                  --compressed
                """).request();

        assertThat(spec.method()).isEqualTo("GET");
        assertThat(spec.url().toString()).isEqualTo("https://shop.example/api/cart?currency=EUR&items%5B%5D=42");
        assertThat(spec.headers()).extracting(Header::name).containsExactly("accept", "accept-language", "Cookie",
                "priority", "referer", "sec-ch-ua", "sec-ch-ua-mobile", "sec-ch-ua-platform", "sec-fetch-dest",
                "sec-fetch-mode", "sec-fetch-site", "user-agent", "Accept-Encoding");
        assertThat(spec.header("Cookie")).contains("session=3f9a1c; consent=essential%2Canalytics");
        assertThat(spec.header("sec-ch-ua")).contains("\"Chromium\";v=\"124\", \"Google Chrome\";v=\"124\", \"Not-A.Brand\";v=\"99\"");
        assertThat(spec.hasBody()).isFalse();
    }

    /** Chrome, a fetch() with a JSON body holding a quote and a "!": $'…' quoting, \u0021 as Chrome writes it. */
    @Test
    void chromeJsonPost() throws CurlException {
        RequestSpec spec = CurlCommand.parseLine("""
                curl 'https://api.example/v1/notes' \\
                  -H 'accept: */*' \\
                  -H 'content-type: application/json' \\
                  -H 'origin: https://app.example' \\
                  -H 'user-agent: Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36' \\
                  --data-raw $'{"title":"Ada\\'s note","body":"Hello\\u0021\\\\nSecond line","tags":["a","b"]}' \\
                  --compressed
                """).request();

        assertThat(spec.method()).isEqualTo("POST");
        assertThat(body(spec)).isEqualTo("{\"title\":\"Ada's note\",\"body\":\"Hello!\\nSecond line\",\"tags\":[\"a\",\"b\"]}");
        assertThat(spec.headers()).extracting(Header::name)
                .containsExactly("accept", "content-type", "origin", "user-agent", "Accept-Encoding");
    }

    /** Chrome, a form upload: the multipart body is given whole, with \r\n, in $'…'. */
    @Test
    void chromeMultipart() throws CurlException {
        RequestSpec spec = CurlCommand.parseLine("""
                curl 'https://app.example/profile/avatar' \\
                  -H 'accept: text/html' \\
                  -H 'content-type: multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW' \\
                  -b 'sid=abc' \\
                  --data-raw $'------WebKitFormBoundary7MA4YWxkTrZu0gW\\r\\nContent-Disposition: form-data; name="name"\\r\\n\\r\\nAda\\r\\n------WebKitFormBoundary7MA4YWxkTrZu0gW\\r\\nContent-Disposition: form-data; name="avatar"; filename="a.png"\\r\\nContent-Type: image/png\\r\\n\\r\\n\\r\\n------WebKitFormBoundary7MA4YWxkTrZu0gW--\\r\\n' \\
                  --compressed
                """).request();

        assertThat(spec.method()).isEqualTo("POST");
        assertThat(body(spec)).startsWith("------WebKitFormBoundary7MA4YWxkTrZu0gW\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nAda\r\n")
                .endsWith("------WebKitFormBoundary7MA4YWxkTrZu0gW--\r\n");
        assertThat(spec.header("content-type")).contains("multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW");
        assertThat(Header.any(spec.headers(), "Content-Type")).isTrue();
        assertThat(spec.headers().stream().filter(h -> h.named("Content-Type")).count()).isOne();
    }

    /** Chrome, a urlencoded form POST; an empty header as Chrome writes it (name;). */
    @Test
    void chromeUrlencodedForm() throws CurlException {
        RequestSpec spec = CurlCommand.parseLine("""
                curl 'https://app.example/login' \\
                  -H 'content-type: application/x-www-form-urlencoded' \\
                  -H 'x-requested-with;' \\
                  --data-raw 'user=ada%40example.org&password=p%26ss&remember=on' \\
                  --compressed
                """).request();

        assertThat(body(spec)).isEqualTo("user=ada%40example.org&password=p%26ss&remember=on");
        assertThat(spec.header("x-requested-with")).contains("");
        assertThat(spec.headers().stream().filter(h -> h.named("Content-Type")).count()).isOne();
    }

    /** Firefox 125, "Copy as cURL (POSIX)": one line, the method quoted, every header the browser sent. */
    @Test
    void firefoxJsonPost() throws CurlException {
        RequestSpec spec = CurlCommand.parseLine("curl 'https://api.example/v1/orders' --compressed -X 'POST' "
                + "-H 'User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0' "
                + "-H 'Accept: application/json' -H 'Accept-Language: en-US,en;q=0.5' "
                + "-H 'Accept-Encoding: gzip, deflate, br' -H 'Content-Type: application/json' "
                + "-H 'Origin: https://app.example' -H 'Connection: keep-alive' -H 'Referer: https://app.example/' "
                + "-H 'Cookie: sid=abc; cart=7' -H 'Sec-Fetch-Dest: empty' -H 'Sec-Fetch-Mode: cors' "
                + "-H 'Sec-Fetch-Site: same-site' -H 'Priority: u=0' "
                + "--data-raw '{\"sku\":\"A-1\",\"qty\":2}'").request();

        assertThat(spec.method()).isEqualTo("POST");
        assertThat(body(spec)).isEqualTo("{\"sku\":\"A-1\",\"qty\":2}");
        assertThat(spec.headers()).extracting(Header::name).containsExactly("User-Agent", "Accept", "Accept-Language",
                "Accept-Encoding", "Content-Type", "Origin", "Connection", "Referer", "Cookie", "Sec-Fetch-Dest",
                "Sec-Fetch-Mode", "Sec-Fetch-Site", "Priority");
        assertThat(spec.header("Accept-Encoding")).contains("gzip, deflate, br"); // theirs, not --compressed's
    }

    /** Firefox, a GET with cookies: no body, no -X. */
    @Test
    void firefoxGetWithCookies() throws CurlException {
        RequestSpec spec = CurlCommand.parseLine("curl 'https://shop.example/account?tab=orders' --compressed "
                + "-H 'User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0' "
                + "-H 'Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' "
                + "-H 'Cookie: session=3f9a1c; theme=dark' -H 'Upgrade-Insecure-Requests: 1'").request();

        assertThat(spec.method()).isEqualTo("GET");
        assertThat(spec.header("Cookie")).contains("session=3f9a1c; theme=dark");
        assertThat(spec.header("Accept-Encoding")).contains("gzip, deflate");
        assertThat(spec.suppressed()).isEqualTo(Set.of());
    }

    /** Firefox, a multipart upload: the body whole in --data-binary $'…', Latin-1 bytes as \xHH. */
    @Test
    void firefoxMultipart() throws CurlException {
        RequestSpec spec = CurlCommand.parseLine("curl 'https://app.example/upload' -X 'POST' "
                + "-H 'Content-Type: multipart/form-data; boundary=---------------------------2941375012' "
                + "--data-binary $'-----------------------------2941375012\\r\\nContent-Disposition: form-data; name=\"city\"\\r\\n\\r\\nM\\xfcnchen\\r\\n-----------------------------2941375012--\\r\\n'")
                .request();

        byte[] b = spec.body().toByteArray();
        assertThat(new String(b, StandardCharsets.ISO_8859_1)).contains("\r\n\r\nM\u00fcnchen\r\n");
        assertThat(b).contains((byte) 0xFC);
    }
}
