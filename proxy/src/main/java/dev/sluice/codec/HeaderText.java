package dev.sluice.codec;

import java.nio.charset.StandardCharsets;

/**
 * ② Header values as text. The decoder reads each byte of a field value as one character
 * (ISO-8859-1), which keeps the bytes exact for sending on; for showing a value (the access log,
 * live traffic) bytes that form UTF-8 are read as UTF-8, and any that do not as U+FFFD.
 */
public final class HeaderText {

    private HeaderText() {}

    /** {@code value} as a person would read it; itself when it is ASCII, as nearly all are. */
    public static String readable(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) > 0x7f) {
                return new String(value.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            }
        }
        return value;
    }
}
