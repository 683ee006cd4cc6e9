package dev.sluice.inspect;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.net.IDN;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An http or https URL, read as leniently as curl reads one (no scheme means http; spaces and
 * other characters a URL cannot hold are percent-encoded; an international host name becomes
 * punycode) and kept in one canonical form: lowercase scheme and host, no default port, a path
 * that starts with {@code /}. Its text parses back to an equal URL.
 *
 * @param host a name, an IPv4 address, or an IPv6 address without its brackets
 * @param port -1 for the scheme's default
 * @param path percent-encoded, starting with {@code /}
 * @param query percent-encoded, without the {@code ?}; null when there is no {@code ?}
 * @param fragment percent-encoded, without the {@code #}; null when there is none. Never sent.
 */
public record Url(String scheme, String host, int port, String path, String query, String fragment) {

    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");
    // RFC 3986 §2.2-2.3: what a path, query or fragment may hold as it is; '%' only before two hex digits.
    private static final String KEPT = "-._~!$&'()*+,;=:@/?";

    public Url {
        requireNonNull(scheme, "scheme");
        requireNonNull(host, "host");
        requireNonNull(path, "path");
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("scheme must be http or https: " + scheme);
        }
        if (port != -1 && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException("port must be 1-65535: " + port);
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with /: " + path);
        }
        if (port == defaultPort(scheme)) {
            port = -1;
        }
    }

    /** Reads {@code text} as curl reads a URL; exit code 1 for a scheme other than http(s), 3 for a bad URL. */
    public static Url parse(String text) throws CurlException {
        return parse(text, false);
    }

    /**
     * Reads {@code text} as curl reads a URL; with {@code keepDotSegments} ({@code --path-as-is})
     * {@code /../} and {@code /./} in the path are sent as they are instead of resolved.
     */
    public static Url parse(String text, boolean keepDotSegments) throws CurlException {
        String t = text.strip();
        if (t.isEmpty()) {
            throw CurlException.badUrl("no URL given");
        }
        String scheme = "http";
        int sep = t.indexOf("://");
        if (sep > 0 && SCHEME.matcher(t.substring(0, sep)).matches()) {
            scheme = t.substring(0, sep).toLowerCase(Locale.ROOT);
            t = t.substring(sep + 3);
        }
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw CurlException.unsupportedProtocol("protocol \"" + scheme + "\" is not supported: " + text.strip()
                    + " (http and https are)");
        }
        int authorityEnd = indexOfAny(t, "/?#", 0);
        String authority = t.substring(0, authorityEnd);
        int at = authority.lastIndexOf('@');
        String hostPort = at < 0 ? authority : authority.substring(at + 1);
        String host;
        String portText = null;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw CurlException.badUrl("no ] after the IPv6 address in " + text.strip());
            }
            host = hostPort.substring(1, close).toLowerCase(Locale.ROOT);
            if (host.isEmpty() || !host.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                throw CurlException.badUrl("bad IPv6 address [" + host + "] in " + text.strip());
            }
            String after = hostPort.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw CurlException.badUrl("unexpected \"" + after + "\" after the IPv6 address in " + text.strip());
                }
                portText = after.substring(1);
            }
        } else {
            int colon = hostPort.lastIndexOf(':');
            host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            portText = colon < 0 ? null : hostPort.substring(colon + 1);
            host = hostName(host, text.strip());
        }
        int port = -1;
        if (portText != null && !portText.isEmpty()) {
            if (!portText.chars().allMatch(c -> c >= '0' && c <= '9') || portText.length() > 5
                    || Integer.parseInt(portText) < 1 || Integer.parseInt(portText) > 65535) {
                throw CurlException.badUrl("port \"" + portText + "\" is not a number from 1 to 65535 in " + text.strip());
            }
            port = Integer.parseInt(portText);
        }
        Url base = new Url(scheme, host, port, "/", null, null);
        return base.withReference(t.substring(authorityEnd), keepDotSegments);
    }

    /** The user and password written in {@code text} before its host ({@code http://user:pw@host/}), decoded; or null. */
    public static String userInfo(String text) {
        String t = text.strip();
        int sep = t.indexOf("://");
        if (sep > 0) {
            t = t.substring(sep + 3);
        }
        String authority = t.substring(0, indexOfAny(t, "/?#", 0));
        int at = authority.lastIndexOf('@');
        return at < 0 ? null : percentDecode(authority.substring(0, at));
    }

    private static String hostName(String raw, String url) throws CurlException {
        if (raw.isEmpty()) {
            throw CurlException.badUrl("no host name in " + url);
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < 0x80 && !(Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_')) {
                throw CurlException.badUrl("host name \"" + raw + "\" has a character a host name cannot have ('"
                        + c + "') in " + url);
            }
        }
        try {
            return IDN.toASCII(raw, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw CurlException.badUrl("host name \"" + raw + "\" is not a valid international name (" + e.getMessage()
                    + ") in " + url);
        }
    }

    /**
     * The URL {@code reference} points to from here (RFC 3986 §5.2): a {@code Location} header,
     * say. Characters a URL cannot hold are percent-encoded first.
     */
    public Url resolve(String reference) throws CurlException {
        String r = reference.strip();
        int colon = r.indexOf(':');
        if (colon > 0 && SCHEME.matcher(r.substring(0, colon)).matches()) {
            return parse(r);
        }
        if (r.startsWith("//")) {
            return parse(scheme + ":" + r);
        }
        return withReference(r, false);
    }

    /** Resolves a reference with no scheme or authority: a path, a query, a fragment. */
    private Url withReference(String r, boolean keepDotSegments) {
        int hash = r.indexOf('#');
        String frag = hash < 0 ? null : escape(r.substring(hash + 1));
        String rest = hash < 0 ? r : r.substring(0, hash);
        int q = rest.indexOf('?');
        String refQuery = q < 0 ? null : escape(rest.substring(q + 1));
        String refPath = escape(q < 0 ? rest : rest.substring(0, q));
        if (refPath.isEmpty()) {
            return new Url(scheme, host, port, path, refQuery != null ? refQuery : query, frag);
        }
        String merged = refPath.startsWith("/") ? refPath : path.substring(0, path.lastIndexOf('/') + 1) + refPath;
        return new Url(scheme, host, port, keepDotSegments ? merged : withoutDotSegments(merged), refQuery, frag);
    }

    /** This URL with its query replaced; null for none. */
    public Url withQuery(String newQuery) {
        return new Url(scheme, host, port, path, newQuery == null ? null : escape(newQuery), fragment);
    }

    /** True when the path has {@code .} or {@code ..} segments, which a URL read normally would have removed. */
    public boolean hasDotSegments() {
        return !withoutDotSegments(path).equals(path);
    }

    /** RFC 3986 §5.2.4: {@code /a/./b/../c} is {@code /a/c}. */
    static String withoutDotSegments(String p) {
        Deque<String> out = new ArrayDeque<>();
        String[] segments = p.split("/", -1);
        for (int i = 1; i < segments.length; i++) {
            String s = segments[i];
            boolean last = i == segments.length - 1;
            if (s.equals(".") || s.equals("..")) {
                if (s.equals("..") && !out.isEmpty()) {
                    out.removeLast();
                }
                if (last) {
                    out.addLast("");
                }
            } else {
                out.addLast(s);
            }
        }
        return "/" + String.join("/", out);
    }

    public static int defaultPort(String scheme) {
        return scheme.equals("https") ? 443 : 80;
    }

    /** The port connected to: the one given, else the scheme's. */
    public int effectivePort() {
        return port == -1 ? defaultPort(scheme) : port;
    }

    public boolean secure() {
        return scheme.equals("https");
    }

    /** {@code host[:port]} as a Host header says it: IPv6 in brackets, the default port left out. */
    public String authority() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return port == -1 ? h : h + ":" + port;
    }

    /** The request target in origin form (RFC 9112 §3.2.1): path and query. */
    public String target() {
        return query == null ? path : path + "?" + query;
    }

    /** The request target in absolute form, for a proxy (RFC 9112 §3.2.2): no fragment. */
    public String absoluteTarget() {
        return scheme + "://" + authority() + target();
    }

    /** True when {@code other} has the same scheme, host and port: credentials may go there. */
    public boolean sameOrigin(Url other) {
        return scheme.equals(other.scheme) && host.equals(other.host) && effectivePort() == other.effectivePort();
    }

    @Override
    public String toString() {
        return absoluteTarget() + (fragment == null ? "" : "#" + fragment);
    }

    /** Percent-encodes what a path, query or fragment cannot hold, as UTF-8 (bytes that are not UTF-8 as they are). */
    static String escape(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean keep = c < 0x80 && (Character.isLetterOrDigit(c) || KEPT.indexOf(c) >= 0
                    || (c == '%' && i + 2 < s.length() && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2))));
            if (keep) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            int end = Character.isHighSurrogate(c) && i + 1 < s.length() ? i + 2 : i + 1;
            for (byte b : LosslessUtf8.encode(s.substring(i, end))) {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
            }
            i = end - 1;
        }
        return out == null ? s : out.toString();
    }

    /** {@code %XX} sequences as the bytes they stand for, read as UTF-8. */
    static String percentDecode(String s) {
        byte[] in = LosslessUtf8.encode(s); // '%' and hex digits are ASCII: one byte each
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '%' && i + 2 < in.length && isHex((char) in[i + 1]) && isHex((char) in[i + 2])) {
                out.write(Character.digit(in[i + 1], 16) * 16 + Character.digit(in[i + 2], 16));
                i += 2;
            } else {
                out.write(in[i]);
            }
        }
        byte[] b = out.toByteArray();
        return LosslessUtf8.decode(b, 0, b.length);
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0 && c < 0x80;
    }

    private static int indexOfAny(String s, String chars, int from) {
        for (int i = from; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return s.length();
    }
}
