package dev.sluice.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * What the proxy allows its clients: how long each wait on a client may take ({@code timeouts:})
 * and how much a client may hold or ask ({@code limits:}).
 */
public record FrontDoor(Timeouts timeouts, Limits limits) {

    public static final FrontDoor DEFAULTS = new FrontDoor(Timeouts.DEFAULTS, Limits.DEFAULTS);

    public FrontDoor {
        requireNonNull(timeouts, "timeouts");
        requireNonNull(limits, "limits");
    }

    /**
     * @param header the whole request head must arrive within this (slowloris): 408, then close
     * @param keepAlive an idle keep-alive connection closes after this
     * @param body a request body may pause this long between reads: 408, then close
     * @param write a client that takes none of its response for this long is cut off
     */
    public record Timeouts(Duration header, Duration keepAlive, Duration body, Duration write) {
        public static final Timeouts DEFAULTS = new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(60),
                Duration.ofSeconds(30), Duration.ofSeconds(60));
    }

    /**
     * @param maxConnections open client connections in all; 0: no limit
     * @param maxConnectionsPerIp open connections from one client address; 0: no limit
     * @param ratePerIp requests a second from one client address (a token bucket); 0: no limit
     * @param burst the bucket's size: requests one address may send at once; 0: {@code ratePerIp}
     * @param overload when the whole process sheds new work
     */
    public record Limits(int maxConnections, int maxConnectionsPerIp, int ratePerIp, int burst, Overload overload) {
        public static final Limits DEFAULTS = new Limits(50_000, 0, 0, 0, Overload.DEFAULTS);

        public Limits {
            requireNonNull(overload, "overload");
        }

        /** With the default overload marks. */
        public Limits(int maxConnections, int maxConnectionsPerIp, int ratePerIp, int burst) {
            this(maxConnections, maxConnectionsPerIp, ratePerIp, burst, Overload.DEFAULTS);
        }
    }

    /**
     * The overload guard's marks, in percent. Above a high mark the proxy stops accepting
     * connections and answers new requests 503 while transfers in flight go on; once both are
     * back below their low marks it takes new work again.
     *
     * @param memoryHigh buffer memory in use, as a share of the JVM's direct memory limit
     * @param memoryLow where memory must fall back to
     * @param fdsHigh open file descriptors, as a share of the process's limit ({@code ulimit -n})
     * @param fdsLow where descriptors must fall back to
     */
    public record Overload(int memoryHigh, int memoryLow, int fdsHigh, int fdsLow) {
        public static final Overload DEFAULTS = new Overload(80, 60, 90, 80);

        public Overload {
            if (memoryLow < 1 || memoryLow >= memoryHigh || memoryHigh > 100
                    || fdsLow < 1 || fdsLow >= fdsHigh || fdsHigh > 100) {
                throw new IllegalArgumentException("marks must be 1-100 with low < high: memory " + memoryLow
                        + "-" + memoryHigh + ", fds " + fdsLow + "-" + fdsHigh);
            }
        }
    }
}
