package dev.sluice.inspect;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * All that one {@link Client#send} did: each exchange in order (one, or one a redirect with
 * {@code -L}), how long it took, and why it stopped short, if it did.
 *
 * @param failure why the transfer ended without its final response: the last exchange's
 *     failure, too many redirects, a bad {@code Location}; null when it did not
 */
public record Transfer(RequestSpec spec, List<Exchange> exchanges, Duration total, Failure failure) {

    /** curl's {@code --fail} exit code for an HTTP error: {@code sluice inspect --print} always uses it. */
    public static final int HTTP_ERROR = 22;

    public Transfer {
        exchanges = List.copyOf(exchanges);
    }

    public Optional<Exchange> last() {
        return exchanges.isEmpty() ? Optional.empty() : Optional.of(exchanges.getLast());
    }

    /** The last response read, whole or not. */
    public Optional<Response> response() {
        return last().map(Exchange::response);
    }

    /**
     * 0 for a final response below 400; 22 for 400 and above (as {@code curl --fail}); otherwise
     * the failure's curl exit code (6 DNS, 7 connect, 28 timeout…).
     */
    public int exitCode() {
        if (failure != null) {
            return failure.exitCode();
        }
        return response().map(r -> r.status() >= 400 ? HTTP_ERROR : 0).orElse(0);
    }
}
