package dev.sluice.inspect;

/** Bytes as {@code hexdump -C} shows them: offset, sixteen bytes in hex, and the printable ones. */
public final class HexDump {

    private HexDump() {}

    public static String of(ByteString bytes) {
        StringBuilder b = new StringBuilder(bytes.size() * 4 + 80);
        for (int row = 0; row < bytes.size(); row += 16) {
            b.append(String.format("%08x  ", row));
            StringBuilder ascii = new StringBuilder(16);
            for (int i = 0; i < 16; i++) {
                if (row + i < bytes.size()) {
                    int v = bytes.byteAt(row + i) & 0xFF;
                    b.append(String.format("%02x ", v));
                    ascii.append(v >= 0x20 && v < 0x7F ? (char) v : '.');
                } else {
                    b.append("   ");
                }
                if (i == 7) {
                    b.append(' ');
                }
            }
            b.append(" |").append(ascii).append("|\n");
        }
        return b.toString();
    }
}
