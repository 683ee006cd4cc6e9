package dev.sluice.inspect;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Bytes that cannot change: a request or response body, or what went over the wire. Two are
 * equal when their bytes are, so records holding them compare by content.
 */
public final class ByteString {

    public static final ByteString EMPTY = new ByteString(new byte[0]);

    private final byte[] bytes;

    private ByteString(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A copy of {@code bytes}. */
    public static ByteString of(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new ByteString(bytes.clone());
    }

    /** Text as UTF-8, bytes that are not UTF-8 kept as they were ({@link LosslessUtf8}). */
    public static ByteString utf8(String text) {
        return wrap(LosslessUtf8.encode(text));
    }

    /** Takes {@code owned} without a copy: the caller gives it up. */
    static ByteString wrap(byte[] owned) {
        return owned.length == 0 ? EMPTY : new ByteString(owned);
    }

    public int size() {
        return bytes.length;
    }

    public boolean isEmpty() {
        return bytes.length == 0;
    }

    public byte byteAt(int index) {
        return bytes[index];
    }

    public byte[] toByteArray() {
        return bytes.clone();
    }

    public InputStream newInputStream() {
        return new ByteArrayInputStream(bytes);
    }

    public void writeTo(OutputStream out) throws IOException {
        out.write(bytes);
    }

    /** The bytes as text: UTF-8, with any byte that is not UTF-8 kept as an escape ({@link LosslessUtf8}). */
    public String utf8() {
        return LosslessUtf8.decode(bytes, 0, bytes.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ByteString other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "ByteString[" + bytes.length + " bytes]";
    }
}
