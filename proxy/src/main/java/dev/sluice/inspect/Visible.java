package dev.sluice.inspect;

/**
 * Text from the network made safe to print: control characters (a server's ESC could drive the
 * terminal) and bytes that are not UTF-8 shown as {@code \xHH}.
 */
public final class Visible {

    private Visible() {}

    public static String of(String s) {
        return of(s, Integer.MAX_VALUE);
    }

    /** At most {@code max} characters, then {@code …}. */
    public static String of(String s, int max) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), max) + 8);
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            if (c == '\t') {
                b.append(c);
            } else if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0)) {
                b.append(String.format("\\x%02x", (int) c));
            } else if (LosslessUtf8.isEscapedByte(c)) {
                b.append(String.format("\\x%02x", LosslessUtf8.escapedByte(c)));
            } else {
                b.append(c);
            }
        }
        return b.length() >= max && s.length() > max ? b + "…" : b.toString();
    }
}
