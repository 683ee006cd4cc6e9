package dev.sluice.metrics;

/**
 * ① ② What the data path tells the metrics about its clients besides finished requests (those go
 * to a {@link dev.sluice.accesslog.RecordSink}): connections opening and changing state, and
 * refusals at the front door. Called on event loops, so every method returns at once and never
 * blocks.
 */
public interface ClientEvents {

    /**
     * A client connection was admitted (after the connection gate). Keep the tracker with the
     * connection and tell it when the connection changes state; it starts as {@code new}.
     */
    ConnectionTracker connectionOpened();

    /**
     * The front door refused a connection or a request, for {@code cause}: a stable cause word such
     * as {@code client_connection_limit}, {@code client_rate_limited} or {@code client_header_timeout}
     * (docs/metrics.md lists them). Once per refusal, whether or not an answer was sent.
     */
    void rejected(String cause);

    /** Tells nothing to no one. */
    ClientEvents NONE = new ClientEvents() {
        @Override
        public ConnectionTracker connectionOpened() {
            return ConnectionTracker.NONE;
        }

        @Override
        public void rejected(String cause) {}
    };
}
