package dev.sluice.accesslog;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * ⑦ Bytes of access log output as the writer thread builds them: a growable array, reused from
 * batch to batch so that formatting a record allocates nothing once it has grown.
 */
final class LineBuffer {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private byte[] bytes;
    private int length;

    LineBuffer(int capacity) {
        bytes = new byte[capacity];
    }

    int length() {
        return length;
    }

    byte[] array() {
        return bytes;
    }

    void clear() {
        length = 0;
    }

    /** Cuts the content back to its first {@code length} bytes. */
    void truncate(int length) {
        if (length < 0 || length > this.length) {
            throw new IllegalArgumentException("length " + length + " of " + this.length);
        }
        this.length = length;
    }

    /** Bytes {@code from} to {@code to}, sharing this buffer's array: valid until it is written again. */
    ByteBuffer slice(int from, int to) {
        return ByteBuffer.wrap(bytes, from, to - from);
    }

    /** One byte: an ASCII character, or a byte of an encoded one. */
    LineBuffer put(int b) {
        ensure(1);
        bytes[length++] = (byte) b;
        return this;
    }

    /** Text known to be ASCII: names, numbers, punctuation. */
    LineBuffer ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            bytes[length++] = (byte) s.charAt(i);
        }
        return this;
    }

    /**
     * Copies {@code s} from its start while its characters are printable ASCII other than
     * {@code "} and {@code \\}: the whole of most log text, in one loop. Returns where it stopped.
     */
    int plainAsciiPrefix(String s) {
        int n = s.length();
        ensure(n);
        int i = 0;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                break;
            }
            bytes[length + i] = (byte) c;
        }
        length += i;
        return i;
    }

    LineBuffer put(byte[] src) {
        return put(src, 0, src.length);
    }

    LineBuffer put(byte[] src, int from, int to) {
        ensure(to - from);
        System.arraycopy(src, from, bytes, length, to - from);
        length += to - from;
        return this;
    }

    LineBuffer put(LineBuffer other) {
        return put(other.bytes, 0, other.length);
    }

    LineBuffer decimal(long n) {
        if (n == Long.MIN_VALUE) {
            return ascii(Long.toString(n));
        }
        if (n < 0) {
            put('-');
            n = -n;
        }
        return padded(n, 1);
    }

    /** {@code n >= 0} in at least {@code width} digits, zeros in front. */
    LineBuffer padded(long n, int width) {
        int total = Math.max(width, digits(n));
        ensure(total);
        int i = length + total;
        if (n <= Integer.MAX_VALUE) { // most numbers in a line: int division is the cheaper one
            for (int v = (int) n; i > length; v /= 10) {
                bytes[--i] = (byte) ('0' + v % 10);
            }
        } else {
            for (long v = n; i > length; v /= 10) {
                bytes[--i] = (byte) ('0' + v % 10);
            }
        }
        length += total;
        return this;
    }

    /** Decimal digits of {@code n >= 0}: counted by multiplying, not dividing. */
    private static int digits(long n) {
        int digits = 1;
        for (long power = 10; digits < 19 && n >= power; power *= 10) {
            digits++;
        }
        return digits;
    }

    /** Two lowercase hex digits of {@code b}. */
    LineBuffer hex(int b) {
        return put(HEX[(b >> 4) & 0xf]).put(HEX[b & 0xf]);
    }

    /** A code point in UTF-8. */
    LineBuffer utf8(int cp) {
        if (cp < 0x80) {
            return put(cp);
        }
        if (cp < 0x800) {
            return put(0xc0 | cp >> 6).put(0x80 | cp & 0x3f);
        }
        if (cp < 0x10000) {
            return put(0xe0 | cp >> 12).put(0x80 | cp >> 6 & 0x3f).put(0x80 | cp & 0x3f);
        }
        return put(0xf0 | cp >> 18).put(0x80 | cp >> 12 & 0x3f).put(0x80 | cp >> 6 & 0x3f).put(0x80 | cp & 0x3f);
    }

    /**
     * The Unicode scalar value at {@code i} of {@code s}: a surrogate pair is one, a lone surrogate
     * (text that is not valid UTF-16) reads as U+FFFD. The next one is {@code Character.charCount} on.
     */
    static int scalarAt(String s, int i) {
        char c = s.charAt(i);
        if (!Character.isSurrogate(c)) {
            return c;
        }
        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            return Character.toCodePoint(c, s.charAt(i + 1));
        }
        return 0xfffd;
    }

    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
