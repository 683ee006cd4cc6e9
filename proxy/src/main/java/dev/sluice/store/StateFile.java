package dev.sluice.store;

import dev.sluice.config.DynamicState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * One generation of the state on disk, {@code state-<version, 20 digits>.json}: a header line
 * {@code sluice-state 1 crc32c=<8 hex> length=<bytes of body>}, then the body ({@link StateCodec}).
 * The header makes every way a file gets damaged — cut short by a crash, a flipped bit, a stray
 * edit — show before the body is believed: CRC32C catches every error burst up to 32 bits long, so
 * any single changed byte.
 */
final class StateFile {

    /** A state larger than this is refused when saved, so that no file is too large to load. */
    static final int MAX_BYTES = 64 << 20;

    private static final Pattern NAME = Pattern.compile("state-(\\d{20})\\.json");
    private static final Pattern UNFINISHED = Pattern.compile("state-\\d{20}\\.json\\.tmp");
    private static final String MAGIC = "sluice-state ";
    private static final String FORMAT = "1";
    private static final Pattern HEADER = Pattern.compile(
            "sluice-state 1 crc32c=([0-9a-f]{8}) length=(0|[1-9][0-9]{0,9})");
    private static final int MAX_HEADER = 80;

    private StateFile() {}

    static String name(long version) {
        return "state-%020d.json".formatted(version);
    }

    /** Where a save writes before the file takes its name: the name {@link #isUnfinished} knows. */
    static String unfinishedName(long version) {
        return name(version) + ".tmp";
    }

    /** The version in a generation's file name, or -1 when {@code fileName} is not one. */
    static long version(String fileName) {
        Matcher m = NAME.matcher(fileName);
        if (!m.matches()) {
            return -1;
        }
        try {
            return Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            return -1; // 20 digits beyond a long: not a name this code writes
        }
    }

    static boolean isUnfinished(String fileName) {
        return UNFINISHED.matcher(fileName).matches();
    }

    /** The whole file for {@code state}: header and body. */
    static byte[] encode(DynamicState state) {
        byte[] body = StateCodec.encode(state);
        CRC32C crc = new CRC32C();
        crc.update(body);
        byte[] header = "%s%s crc32c=%08x length=%d\n".formatted(MAGIC, FORMAT, crc.getValue(), body.length)
                .getBytes(StandardCharsets.US_ASCII);
        byte[] file = new byte[header.length + body.length];
        System.arraycopy(header, 0, file, 0, header.length);
        System.arraycopy(body, 0, file, header.length, body.length);
        return file;
    }

    /**
     * The state held in {@code file}, the bytes of the generation named for {@code version}.
     *
     * @throws IOException saying how the content is damaged
     */
    static DynamicState decode(byte[] file, long version) throws IOException {
        if (file.length == 0) {
            throw new IOException("empty file");
        }
        int newline = headerEnd(file);
        if (newline < 0) {
            throw new IOException("no header line (cut short, or not a sluice state file)");
        }
        String header = new String(file, 0, newline, StandardCharsets.ISO_8859_1);
        if (header.startsWith(MAGIC) && !header.startsWith(MAGIC + FORMAT + " ")) {
            throw new IOException("format \"" + header.substring(MAGIC.length()).split(" ", 2)[0]
                    + "\" is not one this sluice reads (" + FORMAT + "): written by a newer version, or damaged");
        }
        Matcher m = HEADER.matcher(header);
        if (!m.matches()) {
            throw new IOException("the header is not \"sluice-state 1 crc32c=<8 hex> length=<bytes>\": "
                    + printable(header));
        }
        long length = Long.parseLong(m.group(2));
        int actual = file.length - newline - 1;
        if (actual != length) {
            throw new IOException("length mismatch: the header says " + length + " bytes of body, the file has "
                    + actual + (actual < length ? " (cut short)" : ""));
        }
        CRC32C crc = new CRC32C();
        crc.update(file, newline + 1, actual);
        String computed = "%08x".formatted(crc.getValue());
        if (!computed.equals(m.group(1))) {
            throw new IOException("checksum mismatch: stored " + m.group(1) + ", computed " + computed);
        }
        DynamicState state;
        try {
            state = StateCodec.decode(file, newline + 1, actual);
        } catch (IOException e) {
            throw new IOException("the checksum is right but the content is not a state: " + e.getMessage(), e);
        }
        if (state.version() != version) {
            throw new IOException("its name says version " + version + " but it holds version " + state.version()
                    + " (renamed or copied by hand?)");
        }
        return state;
    }

    /** The index of the newline that ends the header, or -1. */
    private static int headerEnd(byte[] file) {
        for (int i = 0; i < Math.min(file.length, MAX_HEADER); i++) {
            if (file[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** {@code text} quoted for a message, with anything unprintable shown as '?'. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.chars().forEach(c -> out.append(c >= ' ' && c < 0x7f ? (char) c : '?'));
        return out.append('"').toString();
    }
}
