package dev.sluice.inspect;

import java.io.ByteArrayOutputStream;

/**
 * UTF-8 that keeps every byte. A byte that is not part of well-formed UTF-8 decodes to a lone
 * surrogate, U+DC80 to U+DCFF, and encodes back to that byte (Python calls this
 * "surrogateescape"). So a shell word such as {@code $'\xff'}, a binary body or a header a
 * server sent in Latin-1 can become a {@code String} and go back to the same bytes.
 *
 * <p>A string is canonical when it came from {@link #decode}: its escaped bytes never form
 * well-formed UTF-8 together. Build strings from bytes, not by joining decoded strings.
 */
final class LosslessUtf8 {

    private static final char ESCAPE_BASE = 0xDC00;

    private LosslessUtf8() {}

    /** True when {@code c} stands for one byte that was not UTF-8. */
    static boolean isEscapedByte(char c) {
        return c >= 0xDC80 && c <= 0xDCFF;
    }

    /** The byte an escaped char stands for. */
    static int escapedByte(char c) {
        return c - ESCAPE_BASE;
    }

    static String decode(byte[] b, int offset, int length) {
        StringBuilder s = new StringBuilder(length);
        int end = offset + length;
        for (int i = offset; i < end; ) {
            int lead = b[i] & 0xFF;
            if (lead < 0x80) {
                s.append((char) lead);
                i++;
                continue;
            }
            int n = sequenceLength(b, i, end);
            if (n == 0) {
                s.append((char) (ESCAPE_BASE + lead));
                i++;
                continue;
            }
            int cp = lead & (0xFF >> (n + 1));
            for (int k = 1; k < n; k++) {
                cp = (cp << 6) | (b[i + k] & 0x3F);
            }
            s.appendCodePoint(cp);
            i += n;
        }
        return s.toString();
    }

    /**
     * The length of the well-formed UTF-8 sequence at {@code i}, or 0 when there is none
     * (RFC 3629 §4: no overlong forms, no surrogates, nothing above U+10FFFF).
     */
    private static int sequenceLength(byte[] b, int i, int end) {
        int lead = b[i] & 0xFF;
        int n;
        int lo = 0x80;
        int hi = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            n = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            n = 3;
            if (lead == 0xE0) {
                lo = 0xA0;
            } else if (lead == 0xED) {
                hi = 0x9F;
            }
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            n = 4;
            if (lead == 0xF0) {
                lo = 0x90;
            } else if (lead == 0xF4) {
                hi = 0x8F;
            }
        } else {
            return 0;
        }
        if (i + n > end) {
            return 0;
        }
        int second = b[i + 1] & 0xFF;
        if (second < lo || second > hi) {
            return 0;
        }
        for (int k = 2; k < n; k++) {
            int c = b[i + k] & 0xFF;
            if (c < 0x80 || c > 0xBF) {
                return 0;
            }
        }
        return n;
    }

    static byte[] encode(CharSequence s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        encodeTo(s, out);
        return out.toByteArray();
    }

    /** Appends the bytes of {@code s} to {@code out}. A surrogate that stands for no byte becomes '?', as in {@code String.getBytes}. */
    static void encodeTo(CharSequence s, ByteArrayOutputStream out) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out.write(c);
            } else if (isEscapedByte(c)) {
                out.write(escapedByte(c));
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                writeCodePoint(Character.toCodePoint(c, s.charAt(++i)), out);
            } else if (Character.isSurrogate(c)) {
                out.write('?');
            } else {
                writeCodePoint(c, out);
            }
        }
    }

    static void writeCodePoint(int cp, ByteArrayOutputStream out) {
        if (cp < 0x80) {
            out.write(cp);
        } else if (cp < 0x800) {
            out.write(0xC0 | (cp >> 6));
            out.write(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out.write(0xE0 | (cp >> 12));
            out.write(0x80 | ((cp >> 6) & 0x3F));
            out.write(0x80 | (cp & 0x3F));
        } else {
            out.write(0xF0 | (cp >> 18));
            out.write(0x80 | ((cp >> 12) & 0x3F));
            out.write(0x80 | ((cp >> 6) & 0x3F));
            out.write(0x80 | (cp & 0x3F));
        }
    }
}
