package dev.sluice.accesslog;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** ⑦ A moment as RFC 3339 text in UTC with milliseconds: {@code 2026-11-24T08:15:07.123Z}. */
final class Rfc3339 {

    private Rfc3339() {}

    static void append(long epochMillis, LineBuffer out) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(epochMillis, 1000), 0, ZoneOffset.UTC);
        out.padded(t.getYear(), 4).put('-').padded(t.getMonthValue(), 2).put('-').padded(t.getDayOfMonth(), 2)
                .put('T').padded(t.getHour(), 2).put(':').padded(t.getMinute(), 2).put(':').padded(t.getSecond(), 2)
                .put('.').padded(Math.floorMod(epochMillis, 1000), 3).put('Z');
    }
}
