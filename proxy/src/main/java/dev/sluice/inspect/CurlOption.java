package dev.sluice.inspect;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The curl options {@code sluice inspect} knows: those it follows, those it takes and that change
 * nothing here (output switches, since everything is shown anyway), and well-known ones it refuses
 * with a clear word rather than "unknown". docs/inspect.md lists the same set.
 */
public enum CurlOption {
    // a request: method, URL, headers
    REQUEST('X', "request", Kind.VALUE),
    URL("url", Kind.VALUE),
    HEADER('H', "header", Kind.VALUE),
    USER_AGENT('A', "user-agent", Kind.VALUE),
    REFERER('e', "referer", Kind.VALUE),
    USER('u', "user", Kind.VALUE),
    OAUTH2_BEARER("oauth2-bearer", Kind.VALUE),
    BASIC("basic", Kind.IGNORED),
    COOKIE('b', "cookie", Kind.VALUE),
    COMPRESSED("compressed", Kind.FLAG),
    HEAD('I', "head", Kind.FLAG),
    GET('G', "get", Kind.FLAG),
    PATH_AS_IS("path-as-is", Kind.FLAG),
    GLOBOFF('g', "globoff", Kind.FLAG),
    // a body
    DATA('d', "data", Kind.VALUE),
    DATA_ASCII("data-ascii", Kind.VALUE),
    DATA_BINARY("data-binary", Kind.VALUE),
    DATA_RAW("data-raw", Kind.VALUE),
    DATA_URLENCODE("data-urlencode", Kind.VALUE),
    JSON("json", Kind.VALUE),
    FORM('F', "form", Kind.VALUE),
    FORM_STRING("form-string", Kind.VALUE),
    UPLOAD_FILE('T', "upload-file", Kind.VALUE),
    // how it is sent
    HTTP1_0('0', "http1.0", Kind.FLAG),
    HTTP1_1("http1.1", Kind.FLAG),
    HTTP2("http2", Kind.FLAG),
    HTTP2_PRIOR_KNOWLEDGE("http2-prior-knowledge", Kind.FLAG),
    HTTP3("http3", Kind.FLAG),
    INSECURE('k', "insecure", Kind.FLAG),
    CACERT("cacert", Kind.VALUE),
    LOCATION('L', "location", Kind.FLAG),
    MAX_REDIRS("max-redirs", Kind.VALUE),
    PROXY('x', "proxy", Kind.VALUE),
    PROXY_USER('U', "proxy-user", Kind.VALUE),
    CONNECT_TIMEOUT("connect-timeout", Kind.VALUE),
    MAX_TIME('m', "max-time", Kind.VALUE),
    SPEED_TIME('y', "speed-time", Kind.VALUE),
    MAX_FILESIZE("max-filesize", Kind.VALUE),
    // what is shown
    OUTPUT('o', "output", Kind.VALUE),
    INCLUDE('i', "include", Kind.FLAG),
    VERBOSE('v', "verbose", Kind.FLAG),
    SILENT('s', "silent", Kind.FLAG),
    SHOW_ERROR('S', "show-error", Kind.FLAG),
    FAIL('f', "fail", Kind.IGNORED),
    FAIL_WITH_BODY("fail-with-body", Kind.IGNORED),
    NO_PROGRESS_METER("no-progress-meter", Kind.IGNORED),
    PROGRESS_BAR('#', "progress-bar", Kind.IGNORED),
    NO_BUFFER('N', "no-buffer", Kind.IGNORED),
    // known, not supported
    COOKIE_JAR('c', "cookie-jar", Kind.UNSUPPORTED_VALUE),
    WRITE_OUT('w', "write-out", Kind.UNSUPPORTED_VALUE),
    DUMP_HEADER('D', "dump-header", Kind.UNSUPPORTED_VALUE),
    REMOTE_NAME('O', "remote-name", Kind.UNSUPPORTED),
    CONFIG('K', "config", Kind.UNSUPPORTED_VALUE),
    NEXT(':', "next", Kind.UNSUPPORTED),
    PARALLEL('Z', "parallel", Kind.UNSUPPORTED),
    RANGE('r', "range", Kind.UNSUPPORTED_VALUE),
    CONTINUE_AT('C', "continue-at", Kind.UNSUPPORTED_VALUE),
    RESOLVE("resolve", Kind.UNSUPPORTED_VALUE),
    CONNECT_TO("connect-to", Kind.UNSUPPORTED_VALUE),
    CERT('E', "cert", Kind.UNSUPPORTED_VALUE),
    DIGEST("digest", Kind.UNSUPPORTED),
    NTLM("ntlm", Kind.UNSUPPORTED),
    NEGOTIATE("negotiate", Kind.UNSUPPORTED),
    SOCKS5("socks5", Kind.UNSUPPORTED_VALUE),
    LOCATION_TRUSTED("location-trusted", Kind.UNSUPPORTED),
    SPEED_LIMIT('Y', "speed-limit", Kind.UNSUPPORTED_VALUE),
    LIMIT_RATE("limit-rate", Kind.UNSUPPORTED_VALUE),
    RETRY("retry", Kind.UNSUPPORTED_VALUE),
    UNIX_SOCKET("unix-socket", Kind.UNSUPPORTED_VALUE),
    IPV4('4', "ipv4", Kind.UNSUPPORTED),
    IPV6('6', "ipv6", Kind.UNSUPPORTED),
    TRACE("trace", Kind.UNSUPPORTED_VALUE),
    TRACE_ASCII("trace-ascii", Kind.UNSUPPORTED_VALUE);

    /** What an option takes and whether it is followed. */
    public enum Kind {
        /** Takes a value, and is followed. */
        VALUE,
        /** A switch, followed; {@code --no-NAME} turns it off. */
        FLAG,
        /** A switch taken for curl's sake that changes nothing here. */
        IGNORED,
        /** Known to curl and refused here. */
        UNSUPPORTED,
        /** Known to curl, takes a value, and is refused here. */
        UNSUPPORTED_VALUE;

        public boolean takesValue() {
            return this == VALUE || this == UNSUPPORTED_VALUE;
        }

        public boolean supported() {
            return this == VALUE || this == FLAG || this == IGNORED;
        }
    }

    private static final Map<String, CurlOption> BY_LONG = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(CurlOption::longName, Function.identity()));
    private static final Map<Character, CurlOption> BY_SHORT = Arrays.stream(values()).filter(o -> o.shortName != 0)
            .collect(Collectors.toUnmodifiableMap(CurlOption::shortName, Function.identity()));

    private final char shortName;
    private final String longName;
    private final Kind kind;

    CurlOption(String longName, Kind kind) {
        this((char) 0, longName, kind);
    }

    CurlOption(char shortName, String longName, Kind kind) {
        this.shortName = shortName;
        this.longName = longName;
        this.kind = kind;
    }

    /** The one-letter form, or 0 for none. */
    public char shortName() {
        return shortName;
    }

    /** The long form without its dashes. */
    public String longName() {
        return longName;
    }

    public Kind kind() {
        return kind;
    }

    static Optional<CurlOption> byLong(String name) {
        return Optional.ofNullable(BY_LONG.get(name));
    }

    static Optional<CurlOption> byShort(char c) {
        return Optional.ofNullable(BY_SHORT.get(c));
    }

    /** The long names of the options followed or taken, for suggestions. */
    static Stream<String> supportedLongNames() {
        return Arrays.stream(values()).filter(o -> o.kind.supported()).map(CurlOption::longName);
    }
}
