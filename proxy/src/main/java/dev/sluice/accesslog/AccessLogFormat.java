package dev.sluice.accesslog;

import dev.sluice.config.AccessLogSettings;

/** ⑦ How an {@link AccessRecord} becomes one line of the access log (docs/access-log.md). */
interface AccessLogFormat {

    /** Appends {@code record} as one line without its line end; the line never holds a line break. */
    void append(AccessRecord record, LineBuffer out);

    static AccessLogFormat of(AccessLogSettings.Format format) {
        return switch (format) {
            case JSON -> new JsonFormat();
            case COMBINED -> new CombinedFormat();
        };
    }
}
