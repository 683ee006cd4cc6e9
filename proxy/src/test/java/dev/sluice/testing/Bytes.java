package dev.sluice.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.function.LongConsumer;

/** A deterministic byte pattern for large bodies, and digests to compare them end to end. */
public final class Bytes {

    private static final byte[] BLOCK = new byte[64 * 1024];

    static {
        // Not a repeating short cycle: a lost or duplicated 4 KiB page changes the digest.
        long x = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < BLOCK.length; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            BLOCK[i] = (byte) x;
        }
    }

    private Bytes() {}

    /** Byte {@code i} of the pattern. */
    public static byte pattern(long i) {
        return (byte) (BLOCK[(int) (i % BLOCK.length)] + (i / BLOCK.length));
    }

    /** Writes the first {@code n} bytes of the pattern; {@code progress} hears of each block written. */
    public static void writePattern(OutputStream out, long n, LongConsumer progress)
            throws IOException {
        byte[] buf = new byte[BLOCK.length];
        for (long off = 0; off < n; ) {
            int len = fill(buf, off, n);
            out.write(buf, 0, len);
            off += len;
            progress.accept(len);
        }
    }

    /** The SHA-256 of the first {@code n} bytes of the pattern. */
    public static byte[] patternDigest(long n) {
        MessageDigest sha = sha256();
        byte[] buf = new byte[BLOCK.length];
        for (long off = 0; off < n; ) {
            int len = fill(buf, off, n);
            sha.update(buf, 0, len);
            off += len;
        }
        return sha.digest();
    }

    /** Fills {@code buf} with the pattern from byte {@code off} on, stopping at byte {@code n}; how many it filled. */
    public static int fill(byte[] buf, long off, long n) {
        int len = (int) Math.min(buf.length, n - off);
        for (int i = 0; i < len; i++) {
            buf[i] = pattern(off + i);
        }
        return len;
    }

    /** Reads {@code in} to its end: the count and SHA-256 of what came. */
    public static Digest digest(InputStream in) throws IOException {
        MessageDigest sha = sha256();
        byte[] buf = new byte[BLOCK.length];
        long n = 0;
        for (int r; (r = in.read(buf)) > 0; ) {
            sha.update(buf, 0, r);
            n += r;
        }
        return new Digest(n, sha.digest());
    }

    public record Digest(long length, byte[] sha256) {}

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
