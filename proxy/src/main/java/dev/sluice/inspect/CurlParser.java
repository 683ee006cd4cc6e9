package dev.sluice.inspect;

import dev.sluice.config.EditDistance;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads curl's arguments into a {@link CurlCommand}, as curl reads them: combined one-letter
 * options ({@code -sSL}, {@code -XPOST}), {@code --name=value}, {@code --no-name}, {@code --}, and
 * the body, header and option semantics of each option. What the options stand for becomes
 * headers and bytes of the {@link RequestSpec}: {@code -u} an {@code Authorization} header,
 * {@code -d} a body and a {@code Content-Type}, and so on.
 */
final class CurlParser {

    /** Sent when neither {@code -A} nor a {@code User-Agent} header says otherwise. */
    static final String DEFAULT_USER_AGENT = "sluice-inspect/" + version();

    private final LocalFiles files;

    private String urlText;
    private String method;
    private boolean head;
    private boolean get;
    private boolean pathAsIs;
    private boolean globoff;
    private final List<Entry> entries = new ArrayList<>(); // headers from -H and from options, in command order
    private final Set<String> customNames = new HashSet<>(); // lowercase: set or removed with -H
    private final Set<AutomaticHeader> suppressed = EnumSet.noneOf(AutomaticHeader.class);
    private boolean userAgentGiven;
    private final List<String> cookieFiles = new ArrayList<>();
    private ByteArrayOutputStream data;
    private boolean json;
    private final FormData form = new FormData();
    private String uploadFile;
    private HttpProxy proxy;
    private String proxyUser;
    private final SendOptions.Builder options = SendOptions.builder();
    private boolean include;
    private boolean verbose;
    private boolean silent;
    private boolean showError;
    private Path output;

    CurlParser(LocalFiles files) {
        this.files = files;
    }

    CurlCommand parse(List<String> args) throws CurlException {
        boolean optionsEnded = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (optionsEnded || !a.startsWith("-") || a.equals("-")) {
                url(a);
            } else if (a.equals("--")) {
                optionsEnded = true;
            } else if (a.startsWith("--")) {
                i = longOption(args, i);
            } else {
                i = shortOptions(args, i);
            }
        }
        return build();
    }

    /** {@code --name}, {@code --name value}, {@code --name=value}, {@code --no-name}; the index of the last argument taken. */
    private int longOption(List<String> args, int i) throws CurlException {
        String arg = args.get(i).substring(2);
        int eq = arg.indexOf('=');
        String name = eq < 0 ? arg : arg.substring(0, eq);
        String inline = eq < 0 ? null : arg.substring(eq + 1);
        Optional<CurlOption> found = CurlOption.byLong(name);
        boolean off = false;
        if (found.isEmpty() && name.startsWith("no-")) {
            found = CurlOption.byLong(name.substring(3)).filter(o -> !o.kind().takesValue());
            off = found.isPresent();
        }
        CurlOption option = found.orElseThrow(() -> unknown("--" + name));
        String value = null;
        if (option.kind().takesValue()) {
            if (inline != null) {
                value = inline;
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw CurlException.usage("option --" + name + " needs a value");
            }
        } else if (inline != null) {
            throw CurlException.usage("option --" + name + " takes no value, and was given \"" + inline + "\"");
        }
        apply(option, value, !off, "--" + name);
        return i;
    }

    /** {@code -s}, {@code -sSL}, {@code -X POST}, {@code -XPOST}: the index of the last argument taken. */
    private int shortOptions(List<String> args, int i) throws CurlException {
        String a = args.get(i);
        for (int k = 1; k < a.length(); k++) {
            char c = a.charAt(k);
            CurlOption option = CurlOption.byShort(c).orElseThrow(() -> unknown("-" + c));
            if (!option.kind().takesValue()) {
                apply(option, null, true, "-" + c);
                continue;
            }
            String value;
            if (k + 1 < a.length()) {
                value = a.substring(k + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw CurlException.usage("option -" + c + " needs a value");
            }
            apply(option, value, true, "-" + c);
            break;
        }
        return i;
    }

    private static CurlException unknown(String option) {
        String name = option.replaceFirst("^-+", "");
        Optional<String> near = option.startsWith("--")
                ? EditDistance.closest(name, CurlOption.supportedLongNames().toList()) : Optional.empty();
        return CurlException.unknownOption(option, "unknown option " + option
                + near.map(n -> "; did you mean --" + n + "?").orElse("") + " (supported options: docs/inspect.md)");
    }

    private void apply(CurlOption option, String value, boolean on, String spelled) throws CurlException {
        switch (option) {
            case REQUEST -> method = value;
            case URL -> url(value);
            case HEADER -> header(value);
            case USER_AGENT -> {
                userAgentGiven = true;
                optionHeader("User-Agent", value.isEmpty() ? null : value); // -A '' sends none, as in curl
            }
            case REFERER -> {
                String r = value.endsWith(";auto") ? value.substring(0, value.length() - 5) : value;
                optionHeader("Referer", r.isEmpty() ? null : r);
            }
            case USER -> optionHeader("Authorization", basic(value));
            case OAUTH2_BEARER -> optionHeader("Authorization", "Bearer " + value);
            case COOKIE -> {
                if (value.contains("=")) {
                    cookie(value);
                } else {
                    cookieFiles.add(value);
                }
            }
            case COMPRESSED -> optionHeader("Accept-Encoding", on ? "gzip, deflate" : null);
            case HEAD -> head = on;
            case GET -> get = on;
            case PATH_AS_IS -> pathAsIs = on;
            case GLOBOFF -> globoff = on;
            case DATA, DATA_ASCII -> data(value.startsWith("@") ? stripLineEnds(files.read(value.substring(1), spelled))
                    : LosslessUtf8.encode(value), false);
            case DATA_BINARY -> data(value.startsWith("@") ? files.read(value.substring(1), spelled)
                    : LosslessUtf8.encode(value), false);
            case DATA_RAW -> data(LosslessUtf8.encode(value), false);
            case DATA_URLENCODE -> data(urlencoded(value, spelled), false);
            case JSON -> {
                data(value.startsWith("@") ? files.read(value.substring(1), spelled) : LosslessUtf8.encode(value), true);
                json = true;
            }
            case FORM -> form.add(value, files);
            case FORM_STRING -> form.addString(value);
            case UPLOAD_FILE -> uploadFile = value;
            case HTTP1_0 -> options.version(HttpVersion.HTTP_1_0);
            case HTTP1_1 -> options.version(HttpVersion.HTTP_1_1);
            case HTTP2 -> options.version(HttpVersion.HTTP_2);
            case HTTP2_PRIOR_KNOWLEDGE -> options.version(HttpVersion.HTTP_2_PRIOR_KNOWLEDGE);
            case HTTP3 -> options.version(HttpVersion.HTTP_3);
            case INSECURE -> options.insecure(on);
            case CACERT -> options.caCert(Path.of(value));
            case LOCATION -> options.followRedirects(on);
            case MAX_REDIRS -> options.maxRedirects(CurlValues.maxRedirects(value, spelled));
            case PROXY -> proxy = value.isEmpty() ? null : HttpProxy.parse(value);
            case PROXY_USER -> proxyUser = value;
            case CONNECT_TIMEOUT -> options.connectTimeout(CurlValues.seconds(value, spelled));
            case MAX_TIME -> options.maxTime(CurlValues.seconds(value, spelled));
            case SPEED_TIME -> options.stallTimeout(CurlValues.seconds(value, spelled));
            case MAX_FILESIZE -> options.maxFileSize(CurlValues.size(value, spelled));
            case OUTPUT -> output = Path.of(value);
            case INCLUDE -> include = on;
            case VERBOSE -> verbose = on;
            case SILENT -> silent = on;
            case SHOW_ERROR -> showError = on;
            default -> {
                if (!option.kind().supported()) {
                    throw CurlException.usage("option " + spelled + " (--" + option.longName()
                            + ") is curl's, and sluice inspect does not support it (see docs/inspect.md)");
                }
                // the rest change nothing here: output switches and defaults
            }
        }
    }

    private void url(String text) throws CurlException {
        if (urlText != null) {
            throw CurlException.usage("sluice inspect sends one URL at a time; it was given " + urlText + " and " + text);
        }
        urlText = text;
    }

    /**
     * {@code -H 'Name: value'} adds a header; {@code -H 'Name:'} removes one (and the one curl
     * would add); {@code -H 'Name;'} adds one with an empty value; {@code -H @file}, a header a line.
     */
    private void header(String h) throws CurlException {
        if (h.startsWith("@")) {
            String text = new String(files.read(h.substring(1), "-H"), StandardCharsets.UTF_8);
            for (String line : text.split("\r?\n")) {
                if (!line.isBlank()) {
                    header(line);
                }
            }
            return;
        }
        int colon = h.indexOf(':');
        String name;
        String value;
        if (colon >= 0) {
            name = h.substring(0, colon);
            value = h.substring(colon + 1).replaceFirst("^[ \t]+", "");
        } else if (h.endsWith(";")) {
            name = h.substring(0, h.length() - 1);
            value = "";
        } else {
            throw CurlException.usage("-H " + h + ": a header is 'Name: value' ('Name;' for an empty value, 'Name:' to"
                    + " leave one out)");
        }
        String problem = Header.nameProblem(name);
        if (problem == null && colon >= 0 && !value.isBlank()) {
            problem = Header.valueProblem(name, value);
        }
        if (problem != null) {
            throw CurlException.usage("-H " + h + ": " + problem);
        }
        customNames.add(name.toLowerCase(Locale.ROOT));
        if (colon >= 0 && value.isBlank()) {
            entries.removeIf(e -> e.header.named(name));
            AutomaticHeader automatic = AutomaticHeader.named(name);
            if (automatic != null) {
                suppressed.add(automatic);
            }
        } else {
            entries.add(new Entry(new Header(name, value), false));
        }
    }

    /**
     * A header an option stands for ({@code -A}, {@code -e}, {@code -u}, {@code -b},
     * {@code --compressed}), kept where the option was; given again, the option replaces it; null
     * removes it. Left out at the end when {@code -H} sets or removes the same name, as curl does.
     */
    private void optionHeader(String name, String given) throws CurlException {
        // leading white space is not part of a header value (RFC 9110 §5.5); curl would send it, a server drops it
        String value = given == null ? null : given.replaceFirst("^[ \t]+", "");
        String problem = value == null ? null : Header.valueProblem(name, value);
        if (problem != null) {
            throw CurlException.usage(problem);
        }
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (e.fromOption && e.header.named(name)) {
                if (value == null) {
                    entries.remove(i);
                } else {
                    entries.set(i, new Entry(new Header(name, value), true));
                }
                return;
            }
        }
        if (value != null) {
            entries.add(new Entry(new Header(name, value), true));
        }
    }

    /** {@code -b 'a=1'}: several are joined into one Cookie header. */
    private void cookie(String pairs) throws CurlException {
        for (Entry e : entries) {
            if (e.fromOption && e.header.named("Cookie")) {
                optionHeader("Cookie", e.header.value() + "; " + pairs);
                return;
            }
        }
        optionHeader("Cookie", pairs);
    }

    /** A header and whether an option, rather than -H, made it. */
    private record Entry(Header header, boolean fromOption) {}

    /** Adds a piece of body: pieces are joined with {@code &}, {@code --json} pieces without (as curl joins them). */
    private void data(byte[] piece, boolean isJson) {
        if (data == null) {
            data = new ByteArrayOutputStream();
        } else if (!isJson) {
            data.write('&');
        }
        data.writeBytes(piece);
    }

    private static byte[] stripLineEnds(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length);
        for (byte x : b) {
            if (x != '\r' && x != '\n') {
                out.write(x);
            }
        }
        return out.toByteArray();
    }

    /**
     * {@code --data-urlencode}: {@code content}, {@code =content}, {@code name=content},
     * {@code @file}, {@code name@file}; whichever of {@code =} and {@code @} comes first decides.
     */
    private byte[] urlencoded(String value, String spelled) throws CurlException {
        int eq = value.indexOf('=');
        int at = value.indexOf('@');
        int split = eq < 0 ? at : at < 0 ? eq : Math.min(eq, at);
        if (split < 0) {
            return percentEncode(LosslessUtf8.encode(value));
        }
        String name = value.substring(0, split);
        byte[] content = value.charAt(split) == '@' ? files.read(value.substring(split + 1), spelled)
                : LosslessUtf8.encode(value.substring(split + 1));
        byte[] encoded = percentEncode(content);
        return name.isEmpty() ? encoded : LosslessUtf8.encode(name + "=" + new String(encoded, StandardCharsets.US_ASCII));
    }

    /** Every byte but ALPHA, DIGIT and {@code -._~} as {@code %XX}, as curl_easy_escape does. */
    static byte[] percentEncode(byte[] in) {
        StringBuilder b = new StringBuilder(in.length * 3);
        for (byte x : in) {
            int c = x & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private CurlCommand build() throws CurlException {
        if (urlText == null) {
            throw CurlException.usage("no URL given: sluice inspect --print [curl options] URL");
        }
        // curl's URL globbing reads \[ as [; Chrome escapes brackets and braces that way. There is no globbing here.
        String text = globoff ? urlText : urlText.replaceAll("\\\\([\\[\\]{}])", "$1");
        Url url = Url.parse(text, pathAsIs);
        String userInfo = Url.userInfo(text);
        if (userInfo != null && entries.stream().noneMatch(e -> e.fromOption && e.header.named("Authorization"))) {
            // a user in the URL without a password has an empty one; only -u would prompt in curl
            String credentials = userInfo.indexOf(':') < 0 ? userInfo + ":" : userInfo;
            entries.addFirst(new Entry(new Header("Authorization", basic(credentials)), true));
        }
        for (String file : cookieFiles) {
            String fileText = new String(files.read(file, "-b"), StandardCharsets.UTF_8);
            for (String pair : CookieFile.cookiesFor(fileText, url, Instant.now())) {
                cookie(pair);
            }
        }
        boolean hasData = data != null;
        int bodies = (hasData ? 1 : 0) + (form.isEmpty() ? 0 : 1) + (uploadFile == null ? 0 : 1);
        if (bodies > 1) {
            throw CurlException.usage("-d/--data (and --json, --data-*), -F/--form and -T/--upload-file each make the"
                    + " body: use one of them");
        }
        if (head && bodies > 0) {
            throw CurlException.usage("-I/--head sends a HEAD request, which has no body, and -d, -F or -T gives one");
        }
        if (get && (!form.isEmpty() || uploadFile != null)) {
            throw CurlException.usage("-G/--get puts -d data in the URL's query; it does not take -F or -T");
        }
        if (method != null && method.isEmpty()) {
            throw CurlException.usage("-X needs a method name");
        }
        String boundary = form.isEmpty() ? null : FormData.newBoundary();
        ByteString body = null;
        if (hasData && get) {
            byte[] d = data.toByteArray();
            String q = LosslessUtf8.decode(d, 0, d.length);
            url = url.withQuery(url.query() == null ? q : url.query() + "&" + q);
        } else if (hasData) {
            body = ByteString.wrap(data.toByteArray());
        } else if (boundary != null) {
            body = form.encode(boundary);
        } else if (uploadFile != null) {
            body = ByteString.wrap(files.read(uploadFile, "-T"));
            if (url.path().endsWith("/") && !uploadFile.equals("-")) {
                url = url.resolve(Url.escape(String.valueOf(Path.of(uploadFile).getFileName())));
            }
        }
        String m = method != null ? method : head ? "HEAD" : get ? "GET" : hasData || boundary != null ? "POST"
                : uploadFile != null ? "PUT" : "GET";
        if (!m.chars().allMatch(c -> Header.isTokenChar((char) c))) {
            throw CurlException.usage("-X " + m + ": a method is one word of letters, digits and !#$%&'*+-.^_`|~");
        }
        options.proxy(proxy == null || proxyUser == null ? proxy : proxy.withCredentials(proxyUser));
        RequestSpec request = RequestSpec.builder(url).method(m).headers(headers(hasData && !get, boundary))
                .suppressed(suppressed).body(body).options(options.build()).build();
        return new CurlCommand(request, new OutputOptions(include, verbose, silent, showError, output));
    }

    /**
     * The headers to send beyond Host and Content-Length: curl's User-Agent and Accept unless
     * {@code -A} or {@code -H} say otherwise, then the {@code -H} headers and those options stand
     * for in command order (an option's left out when {@code -H} names it), then the body's
     * {@code Content-Type}.
     */
    private List<Header> headers(boolean dataBody, String boundary) {
        List<Header> out = new ArrayList<>();
        addUnlessCustom(out, "User-Agent", userAgentGiven ? null : DEFAULT_USER_AGENT);
        addUnlessCustom(out, "Accept", json ? "application/json" : "*/*");
        for (Entry e : entries) {
            Header h = e.header;
            if (e.fromOption) {
                addUnlessCustom(out, h.name(), h.value());
            } else if (boundary != null && h.named("Content-Type") && !h.value().contains("boundary=")) {
                out.add(new Header(h.name(), h.value() + "; boundary=" + boundary)); // curl adds the boundary it chose
            } else {
                out.add(h);
            }
        }
        String type = boundary != null ? "multipart/form-data; boundary=" + boundary
                : dataBody ? (json ? "application/json" : "application/x-www-form-urlencoded") : null;
        addUnlessCustom(out, "Content-Type", type);
        return out;
    }

    private void addUnlessCustom(List<Header> out, String name, String value) {
        if (value != null && !customNames.contains(name.toLowerCase(Locale.ROOT))) {
            out.add(new Header(name, value));
        }
    }

    private static String basic(String userPassword) throws CurlException {
        if (userPassword.indexOf(':') < 0) {
            throw CurlException.usage("-u " + userPassword + ": give user:password (curl would ask for the password;"
                    + " sluice inspect does not prompt)");
        }
        return "Basic " + Base64.getEncoder().encodeToString(LosslessUtf8.encode(userPassword));
    }

    private static String version() {
        String v = CurlParser.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
