package dev.sluice.inspect;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a request is sent, apart from what it says: TLS checks, redirects, proxy, timeouts and
 * limits. The defaults are curl's, except that every wait and every size has a bound.
 *
 * @param caCert PEM certificates to trust instead of the system's ({@code --cacert}), or null
 * @param proxy the HTTP proxy ({@code -x}), or null
 * @param connectTimeout the most that resolving, connecting and the TLS handshake may take together
 * @param maxTime the most the whole transfer, redirects included, may take ({@code -m}); null for no limit
 * @param stallTimeout the longest time with no byte moving either way ({@code -y})
 * @param maxFileSize the largest response body taken ({@code --max-filesize}), before and after decoding
 */
public record SendOptions(HttpVersion version, boolean insecure, Path caCert, boolean followRedirects,
        int maxRedirects, HttpProxy proxy, Duration connectTimeout, Duration maxTime, Duration stallTimeout,
        long maxFileSize) {

    public static final int DEFAULT_MAX_REDIRECTS = 50;
    /** Shorter than curl's 300 s: an address that drops packets is given up in half a minute. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(120);
    /** Bodies are held in memory whole, to show and to replay. */
    public static final long DEFAULT_MAX_FILE_SIZE = 64L << 20;
    public static final long MAX_FILE_SIZE = 1L << 30;
    /** {@code --max-redirs -1}, curl's "no limit", still stops here. */
    public static final int MAX_REDIRECTS = 1000;

    public static final SendOptions DEFAULTS = builder().build();

    public SendOptions {
        requireNonNull(version, "version");
        requireNonNull(connectTimeout, "connectTimeout");
        requireNonNull(stallTimeout, "stallTimeout");
        if (maxRedirects < 0 || maxRedirects > MAX_REDIRECTS) {
            throw new IllegalArgumentException("maxRedirects must be 0-" + MAX_REDIRECTS + ": " + maxRedirects);
        }
        if (!positive(connectTimeout) || !positive(stallTimeout) || (maxTime != null && !positive(maxTime))) {
            throw new IllegalArgumentException("timeouts must be longer than 0");
        }
        if (maxFileSize < 1 || maxFileSize > MAX_FILE_SIZE) {
            throw new IllegalArgumentException("maxFileSize must be 1-" + MAX_FILE_SIZE + ": " + maxFileSize);
        }
    }

    private static boolean positive(Duration d) {
        return d.isPositive();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().version(version).insecure(insecure).caCert(caCert).followRedirects(followRedirects)
                .maxRedirects(maxRedirects).proxy(proxy).connectTimeout(connectTimeout).maxTime(maxTime)
                .stallTimeout(stallTimeout).maxFileSize(maxFileSize);
    }

    /** Builds {@link SendOptions}; starts from the defaults. */
    public static final class Builder {
        private HttpVersion version = HttpVersion.HTTP_1_1;
        private boolean insecure;
        private Path caCert;
        private boolean followRedirects;
        private int maxRedirects = DEFAULT_MAX_REDIRECTS;
        private HttpProxy proxy;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration maxTime;
        private Duration stallTimeout = DEFAULT_STALL_TIMEOUT;
        private long maxFileSize = DEFAULT_MAX_FILE_SIZE;

        private Builder() {}

        public Builder version(HttpVersion v) {
            version = v;
            return this;
        }

        public Builder insecure(boolean v) {
            insecure = v;
            return this;
        }

        public Builder caCert(Path v) {
            caCert = v;
            return this;
        }

        public Builder followRedirects(boolean v) {
            followRedirects = v;
            return this;
        }

        public Builder maxRedirects(int v) {
            maxRedirects = v;
            return this;
        }

        public Builder proxy(HttpProxy v) {
            proxy = v;
            return this;
        }

        public Builder connectTimeout(Duration v) {
            connectTimeout = v;
            return this;
        }

        public Builder maxTime(Duration v) {
            maxTime = v;
            return this;
        }

        public Builder stallTimeout(Duration v) {
            stallTimeout = v;
            return this;
        }

        public Builder maxFileSize(long v) {
            maxFileSize = v;
            return this;
        }

        public SendOptions build() {
            return new SendOptions(version, insecure, caCert, followRedirects, maxRedirects, proxy, connectTimeout,
                    maxTime, stallTimeout, maxFileSize);
        }
    }
}
