package dev.sluice.metrics;

/**
 * ① One client connection's state as the metrics count it, after Go's {@code http.ConnState}:
 * {@code new} from accept until its first request, {@code active} while a request is being read or
 * answered, {@code idle} between requests, then closed. Call it from the connection's event loop
 * only. A call that does not change the state changes nothing, and nothing changes after
 * {@link #closed()}, so a repeated or late call cannot skew the counts.
 */
public interface ConnectionTracker {

    /** The first byte of a request arrived (from {@code new} or {@code idle}). */
    void active();

    /** The response was written and the connection waits for the next request. */
    void idle();

    /** The connection closed, in whatever state it was; call it once, from its close future. */
    void closed();

    /** Tracks nothing. */
    ConnectionTracker NONE = new ConnectionTracker() {
        @Override
        public void active() {}

        @Override
        public void idle() {}

        @Override
        public void closed() {}
    };
}
