package dev.sluice.inspect;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A body as it is shown: JSON (by its Content-Type) indented, text in its charset as it is,
 * anything else — bytes that do not decode, or text with control characters a terminal would
 * act on — as a hex dump.
 */
public record BodyText(Kind kind, String text) {

    /** What the body was taken for. */
    public enum Kind { EMPTY, JSON, TEXT, BINARY }

    private static final Pattern CHARSET = Pattern.compile("(?i);\\s*charset=\"?([^\";\\s]+)");

    /** {@code body} to show; {@code contentType} is its Content-Type header, or null. */
    public static BodyText of(ByteString body, String contentType) {
        if (body.isEmpty()) {
            return new BodyText(Kind.EMPTY, "");
        }
        String text = decode(body, charset(contentType));
        if (text == null || hasControlCharacters(text)) {
            return new BodyText(Kind.BINARY, HexDump.of(body));
        }
        if (isJson(contentType)) {
            return JsonPretty.of(body).map(j -> new BodyText(Kind.JSON, j)).orElse(new BodyText(Kind.TEXT, text));
        }
        return new BodyText(Kind.TEXT, text);
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || type.endsWith("+json") || type.equals("text/json");
    }

    private static Charset charset(String contentType) {
        if (contentType != null) {
            Matcher m = CHARSET.matcher(contentType);
            if (m.find()) {
                try {
                    return Charset.forName(m.group(1));
                } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                    return StandardCharsets.UTF_8; // a charset the JDK does not know: try UTF-8, the web's default
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    /** The text, or null when the bytes are not text in that charset. */
    private static String decode(ByteString body, Charset charset) {
        try {
            return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null; // not text: shown as bytes
        }
    }

    private static boolean hasControlCharacters(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') || c == 0x7F || (c >= 0x80 && c < 0xA0)) {
                return true;
            }
        }
        return false;
    }
}
