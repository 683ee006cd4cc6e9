package dev.sluice.balance;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * xxHash64 with seed 0 (the reference algorithm, XXH64 in the xxHash library) of a string's
 * UTF-8 bytes. The hash ring's points and keys must land in the same places on every JVM,
 * machine and restart, which {@link String#hashCode} (32 bits, poorly mixed) does not give.
 */
final class XxHash64 {

    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P3 = 0x165667B19E3779F9L;
    private static final long P4 = 0x85EBCA77C2B2AE63L;
    private static final long P5 = 0x27D4EB2F165667C5L;

    private XxHash64() {}

    static long hash(String s) {
        // The bytes are read as chars 0-255: canonical host keys are ASCII, so the request path
        // hashes the key as it is, and only other text is encoded into a byte-per-char copy.
        String b = isAscii(s) ? s : new String(s.getBytes(UTF_8), ISO_8859_1);
        int len = b.length();
        int i = 0;
        long h;
        if (len >= 32) {
            long v1 = P1 + P2;
            long v2 = P2;
            long v3 = 0;
            long v4 = -P1;
            for (; i <= len - 32; i += 32) {
                v1 = round(v1, read64(b, i));
                v2 = round(v2, read64(b, i + 8));
                v3 = round(v3, read64(b, i + 16));
                v4 = round(v4, read64(b, i + 24));
            }
            h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
            h = merge(h, v1);
            h = merge(h, v2);
            h = merge(h, v3);
            h = merge(h, v4);
        } else {
            h = P5;
        }
        h += len;
        for (; i <= len - 8; i += 8) {
            h = Long.rotateLeft(h ^ round(0, read64(b, i)), 27) * P1 + P4;
        }
        if (i <= len - 4) {
            h = Long.rotateLeft(h ^ read32(b, i) * P1, 23) * P2 + P3;
            i += 4;
        }
        for (; i < len; i++) {
            h = Long.rotateLeft(h ^ b.charAt(i) * P5, 11) * P1;
        }
        h ^= h >>> 33;
        h *= P2;
        h ^= h >>> 29;
        h *= P3;
        return h ^ h >>> 32;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static long round(long acc, long lane) {
        return Long.rotateLeft(acc + lane * P2, 31) * P1;
    }

    private static long merge(long h, long v) {
        return (h ^ round(0, v)) * P1 + P4;
    }

    /** Little-endian, as the reference reads its input. */
    private static long read64(String b, int i) {
        return read32(b, i) | read32(b, i + 4) << 32;
    }

    private static long read32(String b, int i) {
        return b.charAt(i) | b.charAt(i + 1) << 8 | b.charAt(i + 2) << 16 | (long) b.charAt(i + 3) << 24;
    }
}
