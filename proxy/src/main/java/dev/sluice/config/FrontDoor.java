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
     */
    public record Limits(int maxConnections, int maxConnectionsPerIp, int ratePerIp, int burst) {
        public static final Limits DEFAULTS = new Limits(50_000, 0, 0, 0);
    }
}
