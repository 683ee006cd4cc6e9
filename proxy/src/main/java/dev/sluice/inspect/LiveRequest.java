package dev.sluice.inspect;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A request that went through a running Sluice, as its admin listener's live traffic shows it
 * ({@code GET /api/live}): what the access log says of it and the header fields it came with. Its
 * body is not shown, so a replay sends none.
 *
 * @param skipped requests the watcher was not shown just before this one (the feed is a sample under load)
 */
public record LiveRequest(String time, String clientIp, String method, String host, String path, String protocol,
        int status, long bytesOut, long durationMicros, String backend, String termination, List<Header> headers,
        long skipped) {

    /** Fields about one hop or a body the replay does not have: the client sets its own. */
    private static final Set<String> NOT_REPLAYED = Set.of("connection", "keep-alive", "proxy-connection", "te",
            "trailer", "upgrade", "content-length", "transfer-encoding", "expect");

    public LiveRequest {
        requireNonNull(method, "method");
        requireNonNull(host, "host");
        requireNonNull(path, "path");
        headers = List.copyOf(headers);
    }

    /**
     * The request again, sent to {@code target} (the proxy, to go the same way; or its backend) with
     * the header fields it came with, {@code Host} among them.
     */
    public RequestSpec replayTo(Url target) {
        RequestSpec.Builder b = RequestSpec.builder(new Url(target.scheme(), target.host(), target.port(),
                pathOnly(), query(), null)).method(method);
        for (Header h : headers) {
            if (!NOT_REPLAYED.contains(h.name().toLowerCase(Locale.ROOT))) {
                b.header(h.name(), h.value());
            }
        }
        return b.build();
    }

    /** One line for a list: {@code 200 GET shop.test/cart 1.2 KB 3.4 ms → 10.0.0.11:8080}. */
    public String summary() {
        return String.format(Locale.ROOT, "%3s %-7s %s%s  %,d B  %.1f ms  -> %s", status == 0 ? "-" : status, method,
                host, path, bytesOut, durationMicros / 1000.0, backend);
    }

    private String pathOnly() {
        if (!path.startsWith("/")) {
            return "/"; // OPTIONS *, or an absolute-form target the proxy rewrote
        }
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    private String query() {
        int q = path.indexOf('?');
        return q < 0 ? null : path.substring(q + 1);
    }
}
