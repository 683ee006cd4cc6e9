package dev.sluice.inspect;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The cookies of a Netscape cookie file (what {@code curl -c} and browser extensions write) that
 * a request to a URL would carry: {@code -b FILE}. One cookie a line, seven fields split by tabs:
 * domain, include subdomains, path, secure, expiry (seconds since 1970, 0 for a session cookie),
 * name, value. {@code #HttpOnly_} before a domain is kept; other {@code #} lines are comments.
 */
final class CookieFile {

    private CookieFile() {}

    /** {@code name=value} pairs for {@code url}, in file order. */
    static List<String> cookiesFor(String fileText, Url url, Instant now) {
        List<String> out = new ArrayList<>();
        for (String line : fileText.split("\r?\n")) {
            String l = line.startsWith("#HttpOnly_") ? line.substring("#HttpOnly_".length()) : line;
            if (l.isBlank() || l.startsWith("#")) {
                continue;
            }
            String[] f = l.split("\t", -1);
            if (f.length != 7) {
                continue; // not a cookie line: curl passes over those too
            }
            String domain = f[0].startsWith(".") ? f[0].substring(1) : f[0];
            boolean subdomains = f[1].equalsIgnoreCase("TRUE");
            boolean hostMatches = url.host().equalsIgnoreCase(domain)
                    || (subdomains && url.host().toLowerCase().endsWith("." + domain.toLowerCase()));
            boolean secureOk = !f[3].equalsIgnoreCase("TRUE") || url.secure();
            long expiry = parseLong(f[4]);
            boolean live = expiry == 0 || expiry > now.getEpochSecond();
            if (hostMatches && pathMatches(url.path(), f[2]) && secureOk && live) {
                out.add(f[5] + "=" + f[6]);
            }
        }
        return out;
    }

    /** RFC 6265 §5.1.4: the cookie's path is the request's, or a prefix of it that ends at a {@code /}. */
    private static boolean pathMatches(String requestPath, String cookiePath) {
        return requestPath.equals(cookiePath) || (requestPath.startsWith(cookiePath)
                && (cookiePath.endsWith("/") || requestPath.charAt(cookiePath.length()) == '/'));
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return 0; // no expiry that can be read: kept, as a session cookie
        }
    }
}
