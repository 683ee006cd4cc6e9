package dev.sluice.accesslog;

/**
 * ⑦ Where finished {@link AccessRecord}s go: the access log, the metrics. Called on an event loop
 * for every record, so it must return at once and never block.
 */
@FunctionalInterface
public interface RecordSink {

    /** Takes {@code record}; never blocks, never throws. */
    void accept(AccessRecord record);

    /** This sink, then {@code next}. */
    default RecordSink and(RecordSink next) {
        return next == NONE ? this : record -> {
            accept(record);
            next.accept(record);
        };
    }

    /** Takes nothing. */
    RecordSink NONE = record -> {};
}
