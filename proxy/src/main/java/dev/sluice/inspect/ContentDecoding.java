package dev.sluice.inspect;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Undoes a response's {@code Content-Encoding} (RFC 9110 §8.4) when it is gzip or deflate, last
 * coding first, so that a body can be shown as text. Anything else (br, zstd), a body that does
 * not decode, or one that decodes larger than the limit, stays as it came, with a note saying why.
 */
final class ContentDecoding {

    /** The body, decoded or not, and why not when it was not; {@code problem} is null otherwise. */
    record Result(ByteString body, String problem) {}

    private ContentDecoding() {}

    static Result decode(List<Header> headers, ByteString entity, long max) {
        List<String> codings = new ArrayList<>();
        for (Header h : headers) {
            if (h.named("Content-Encoding")) {
                for (String c : h.value().split(",")) {
                    String t = c.strip().toLowerCase(Locale.ROOT);
                    if (!t.isEmpty() && !t.equals("identity")) {
                        codings.add(t);
                    }
                }
            }
        }
        if (codings.isEmpty() || entity.isEmpty()) {
            return new Result(entity, null);
        }
        ByteString body = entity;
        for (String coding : codings.reversed()) {
            try {
                body = switch (coding) {
                    case "gzip", "x-gzip" -> read(new GZIPInputStream(body.newInputStream()), max);
                    case "deflate" -> inflate(body, max);
                    default -> null;
                };
            } catch (IOException e) {
                return new Result(entity, "the " + coding + " body does not decode (" + e.getMessage()
                        + "); it is shown as it came");
            }
            if (body == null) {
                return new Result(entity, "Content-Encoding " + coding + " is not decoded here (gzip and deflate are);"
                        + " the body is shown as it came");
            }
            if (body.size() > max) {
                return new Result(entity, "the body decodes to more than " + max + " bytes (--max-filesize); it is"
                        + " shown as it came");
            }
        }
        return new Result(body, null);
    }

    /** deflate is zlib-wrapped (RFC 9110 §8.4.1.2), but some servers send it raw: try both, as curl does. */
    private static ByteString inflate(ByteString body, long max) throws IOException {
        try {
            return read(new InflaterInputStream(body.newInputStream(), new Inflater()), max);
        } catch (java.util.zip.ZipException e) {
            return read(new InflaterInputStream(body.newInputStream(), new Inflater(true)), max);
        }
    }

    /** Up to {@code max + 1} bytes: one more than allowed says there were too many. */
    private static ByteString read(InputStream in, long max) throws IOException {
        try (in) {
            return ByteString.wrap(in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8)));
        }
    }
}
