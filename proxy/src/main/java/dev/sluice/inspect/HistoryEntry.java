package dev.sluice.inspect;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One request sent, as the history keeps it: a curl line that reads back into it, when, and how
 * it ended. A body that would make the line longer than {@link History#MAX_ENTRY_BYTES} is left
 * out and its size kept in {@code bodyOmitted}.
 *
 * @param status the final response's status, or null when there was none
 * @param error the failure ({@code (7) Failed to connect…}), or null
 * @param total how long the transfer took
 * @param bodyOmitted the size of a body not kept, or 0
 */
public record HistoryEntry(Instant time, String curl, Integer status, String error, Duration total, long bodyOmitted) {

    public HistoryEntry {
        requireNonNull(time, "time");
        requireNonNull(curl, "curl");
        requireNonNull(total, "total");
    }

    /** The entry for {@code t}; empty when even without its body the request is too large to keep. */
    public static Optional<HistoryEntry> of(Transfer t, Instant time) {
        RequestSpec spec = t.spec();
        String curl = CurlRenderer.render(spec);
        long omitted = 0;
        if (curl.getBytes(StandardCharsets.UTF_8).length > History.MAX_ENTRY_BYTES && spec.hasBody()) {
            omitted = spec.body().size();
            curl = CurlRenderer.render(spec.toBuilder().body(null).build());
        }
        if (curl.getBytes(StandardCharsets.UTF_8).length > History.MAX_ENTRY_BYTES) {
            return Optional.empty();
        }
        Integer status = t.response().map(Response::status).orElse(null);
        String error = t.failure() == null ? null : t.failure().toString();
        return Optional.of(new HistoryEntry(time, curl, status, error, t.total(), omitted));
    }

    /** The request again, read from the kept curl line. */
    public RequestSpec request() throws CurlException {
        return CurlCommand.parse(CurlCommand.words(curl), new ByteArrayInputStream(new byte[0])).request();
    }
}
