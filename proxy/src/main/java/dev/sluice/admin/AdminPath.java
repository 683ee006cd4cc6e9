package dev.sluice.admin;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The path of an admin request as its segments. The path is split at {@code /} first and each
 * segment percent-decoded after, so {@code %2F} stays inside its segment, and
 * {@code %5B%3A%3A1%5D%3A9001} is the backend {@code [::1]:9001}.
 */
final class AdminPath {

    private AdminPath() {}

    /** The decoded segments of {@code uri}'s path; the query, if any, is ignored. */
    static List<String> segments(String uri) throws AdminError {
        int end = uri.length();
        for (int i = 0; i < uri.length(); i++) {
            if (uri.charAt(i) == '?' || uri.charAt(i) == '#') {
                end = i;
                break;
            }
        }
        String path = uri.substring(0, end);
        if (!path.startsWith("/")) {
            throw AdminError.notFound(path);
        }
        List<String> segments = new ArrayList<>();
        for (String raw : path.substring(1).split("/", -1)) {
            segments.add(decode(raw, path));
        }
        return segments;
    }

    /** {@code bytes} as UTF-8 text; malformed UTF-8 is refused rather than replaced. */
    static String utf8(byte[] bytes, String what) throws AdminError {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new AdminError(400, what + " is not UTF-8 text");
        }
    }

    private static String decode(String segment, String path) throws AdminError {
        if (segment.indexOf('%') < 0 && segment.chars().allMatch(c -> c < 0x80)) {
            return segment;
        }
        // The HTTP decoder gives each byte of the request line as one char, so (byte) c is the byte sent.
        byte[] bytes = new byte[segment.length()];
        int n = 0;
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                int hi = i + 2 < segment.length() ? Character.digit(segment.charAt(i + 1), 16) : -1;
                int lo = i + 2 < segment.length() ? Character.digit(segment.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw new AdminError(400, "bad percent-encoding in the path " + path
                            + ": '%' must be followed by two hex digits");
                }
                bytes[n++] = (byte) (hi << 4 | lo);
                i += 2;
            } else {
                bytes[n++] = (byte) c;
            }
        }
        return utf8(Arrays.copyOf(bytes, n), "the path " + path);
    }
}
