package dev.sluice.inspect;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * A request as it is written to the socket: its request line, every header (the automatic
 * {@code Host} and {@code Content-Length} included) and its body as framed, with the exact
 * bytes of each.
 *
 * @param body the body as framed on the wire: chunked when a {@code Transfer-Encoding: chunked}
 *     header says so
 */
public record WireRequest(String requestLine, List<Header> headers, ByteString head, ByteString body) {

    public WireRequest {
        headers = List.copyOf(headers);
    }

    /** How {@code spec} goes out: through its proxy with the whole URL as target (RFC 9112 §3.2.2), else path and query. */
    public static WireRequest of(RequestSpec spec) {
        Url url = spec.url();
        HttpProxy proxy = spec.options().proxy();
        String version = spec.options().version() == HttpVersion.HTTP_1_0 ? "HTTP/1.0" : "HTTP/1.1";
        String requestLine = spec.method() + " " + (proxy == null ? url.target() : url.absoluteTarget()) + " " + version;
        List<Header> headers = new ArrayList<>();
        if (!spec.suppressed().contains(AutomaticHeader.HOST) && !Header.any(spec.headers(), "Host")) {
            headers.add(new Header("Host", url.authority()));
        }
        if (proxy != null && proxy.credentials() != null && !Header.any(spec.headers(), "Proxy-Authorization")) {
            headers.add(new Header("Proxy-Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(LosslessUtf8.encode(proxy.credentials()))));
        }
        headers.addAll(spec.headers());
        boolean chunked = Header.first(spec.headers(), "Transfer-Encoding")
                .map(v -> v.toLowerCase(Locale.ROOT).strip().endsWith("chunked")).orElse(false);
        if (spec.hasBody() && !chunked && !Header.any(spec.headers(), "Content-Length")
                && !spec.suppressed().contains(AutomaticHeader.CONTENT_LENGTH)) {
            headers.add(new Header("Content-Length", Integer.toString(spec.body().size())));
        }
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        LosslessUtf8.encodeTo(requestLine + "\r\n", head);
        for (Header h : headers) {
            LosslessUtf8.encodeTo(h.name() + ": " + h.value() + "\r\n", head);
        }
        LosslessUtf8.encodeTo("\r\n", head);
        ByteString body = spec.hasBody() ? spec.body() : ByteString.EMPTY;
        return new WireRequest(requestLine, headers, ByteString.wrap(head.toByteArray()), chunked ? chunk(body) : body);
    }

    /** {@code body} as one chunk and the last chunk (RFC 9112 §7.1), as curl sends a body it was told is chunked. */
    private static ByteString chunk(ByteString body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.size() + 16);
        if (!body.isEmpty()) {
            LosslessUtf8.encodeTo(Integer.toHexString(body.size()) + "\r\n", out);
            out.writeBytes(body.toByteArray());
            LosslessUtf8.encodeTo("\r\n", out);
        }
        LosslessUtf8.encodeTo("0\r\n\r\n", out);
        return ByteString.wrap(out.toByteArray());
    }

    /** Head and body: every byte to write. */
    public ByteString bytes() {
        byte[] all = new byte[head.size() + body.size()];
        System.arraycopy(head.toByteArray(), 0, all, 0, head.size());
        System.arraycopy(body.toByteArray(), 0, all, head.size(), body.size());
        return ByteString.wrap(all);
    }
}
