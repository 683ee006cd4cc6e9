package dev.sluice.inspect;

import java.time.Duration;

/**
 * When each step of one exchange ended, counted from its start (as curl's {@code -w}
 * {@code time_namelookup}, {@code time_connect}, {@code time_appconnect},
 * {@code time_pretransfer}, {@code time_starttransfer} and {@code time_total} are). A step not
 * reached is null; {@code tls} is null for plain http. Those reached are in order.
 *
 * @param dns the name resolved (the proxy's, through a proxy)
 * @param connect the TCP connection made
 * @param tls the TLS handshake done
 * @param sent the whole request written to the socket
 * @param firstByte the first byte of the response read
 * @param total the response read whole, or the exchange given up
 */
public record Timings(Duration dns, Duration connect, Duration tls, Duration sent, Duration firstByte, Duration total) {

    /** How long the server took to answer once the request was sent: first byte minus sent. */
    public Duration waiting() {
        return sent == null || firstByte == null ? null : firstByte.minus(sent);
    }
}
