package dev.sluice.inspect;

import java.util.Optional;

/**
 * The request {@code -L} sends after a redirect: the {@code Location} resolved against the URL,
 * the method and body kept or turned into a bodiless GET as RFC 9110 §15.4 and curl do, and
 * credentials kept only while the origin stays the same.
 */
final class Redirect {

    private Redirect() {}

    /** The next request after {@code response} to {@code spec}; empty when it is not a redirect to follow. */
    static Optional<RequestSpec> next(RequestSpec spec, Response response) throws CurlException {
        int s = response.status();
        if (s != 301 && s != 302 && s != 303 && s != 307 && s != 308) {
            return Optional.empty();
        }
        Optional<String> location = response.header("Location");
        if (location.isEmpty() || location.get().isBlank()) {
            return Optional.empty();
        }
        Url target = spec.url().resolve(location.get());
        RequestSpec.Builder next = spec.toBuilder().url(target);
        String m = spec.method();
        // 303 asks for a GET; after a POST, 301 and 302 get one too, as every browser and curl do (RFC 9110 §15.4.2).
        if ((s == 303 && !m.equals("HEAD")) || ((s == 301 || s == 302) && m.equals("POST"))) {
            next.method("GET").body(null).removeHeader("Content-Type").removeHeader("Content-Length")
                    .removeHeader("Transfer-Encoding");
        }
        if (!target.sameOrigin(spec.url())) {
            // Credentials and a Host chosen for the first origin are not sent to another (curl, CVE-2022-27776).
            next.removeHeader("Authorization").removeHeader("Cookie").removeHeader("Host");
        }
        return Optional.of(next.build());
    }
}
