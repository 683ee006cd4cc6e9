package dev.sluice.inspect;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A transfer as text, for {@code sluice inspect --print}: each exchange's request ({@code >}
 * lines, then its body) and response ({@code <} lines, then its body shown by
 * {@link BodyText}), then a {@code *} line with its sizes and timings. Or, raw, the exact bytes
 * that went and came.
 */
public final class TransferPrinter {

    private TransferPrinter() {}

    /**
     * Prints every exchange. {@code bodyFile}, when not null, is where the last response body was
     * written ({@code -o}): it is named instead of shown.
     */
    public static void print(Transfer t, PrintStream out, String bodyFile) {
        List<Exchange> exchanges = t.exchanges();
        for (int i = 0; i < exchanges.size(); i++) {
            Exchange e = exchanges.get(i);
            boolean last = i == exchanges.size() - 1;
            connection(e, out);
            request(e, out);
            if (e.response() != null) {
                response(e.response(), out, last ? bodyFile : null);
            }
            for (String note : e.notes()) {
                out.println("* note: " + note);
            }
            out.println(summary(e, last ? null : exchanges.get(i + 1)));
            if (!last) {
                out.println();
            }
        }
    }

    /** Every byte sent, then every byte received, exchange by exchange, as they were. */
    public static void printRaw(Transfer t, OutputStream out) throws IOException {
        for (Exchange e : t.exchanges()) {
            e.sent().writeTo(out);
            e.received().writeTo(out);
        }
        out.flush();
    }

    private static void connection(Exchange e, PrintStream out) {
        if (e.remote() != null) {
            out.println("* connected to " + e.remote().getAddress().getHostAddress() + " port " + e.remote().getPort());
        }
        TlsInfo tls = e.tls();
        if (tls != null) {
            out.println("* " + tls.protocol() + " " + tls.cipherSuite()
                    + (tls.subject() == null ? "" : ", certificate " + tls.subject() + " issued by " + tls.issuer()
                    + ", valid until " + tls.notAfter()));
        }
    }

    private static void request(Exchange e, PrintStream out) {
        WireRequest r = e.request();
        out.println("> " + Visible.of(r.requestLine()));
        for (Header h : r.headers()) {
            out.println("> " + Visible.of(h.name() + ": " + h.value()));
        }
        out.println(">");
        if (e.spec().hasBody()) {
            body(BodyText.of(e.spec().body(), e.spec().header("Content-Type").orElse(null)), out);
        }
    }

    private static void response(Response r, PrintStream out, String bodyFile) {
        for (ResponseHead interim : r.informational()) {
            head(interim, out);
        }
        head(r.head(), out);
        if (bodyFile != null) {
            out.println("[body: " + size(r.body().size()) + " written to " + bodyFile + "]");
        } else {
            body(BodyText.of(r.body(), r.header("Content-Type").orElse(null)), out);
        }
        for (Header h : r.trailers()) {
            out.println("< " + Visible.of(h.name() + ": " + h.value()) + "    (trailer)");
        }
    }

    private static void head(ResponseHead h, PrintStream out) {
        out.println("< " + Visible.of(h.statusLine()));
        for (Header x : h.headers()) {
            out.println("< " + Visible.of(x.name() + ": " + x.value()));
        }
        out.println("<");
    }

    private static void body(BodyText body, PrintStream out) {
        if (body.kind() == BodyText.Kind.EMPTY) {
            return;
        }
        out.print(body.text());
        if (!body.text().endsWith("\n")) {
            out.println();
        }
    }

    /**
     * {@code * 200 OK · body 14 B (gzip 40 B) · sent 120 B · received 170 B · dns 0.2 ms ·
     * connect 0.4 ms · first byte 3.1 ms · total 3.3 ms}: times since the exchange began.
     */
    public static String summary(Exchange e, Exchange next) {
        List<String> parts = new ArrayList<>();
        Response r = e.response();
        if (r == null) {
            parts.add(e.failure() == null ? "no response" : "no response: " + e.failure());
        } else {
            parts.add(r.status() + (r.head().reason().isEmpty() ? "" : " " + Visible.of(r.head().reason()))
                    + (r.complete() ? "" : " (incomplete)"));
            String body = "body " + size(r.body().size());
            if (r.body().size() != r.entity().size() || !r.body().equals(r.entity())) {
                body += " (" + r.header("Content-Encoding").map(Visible::of).orElse("encoded") + " "
                        + size(r.entity().size()) + ")";
            }
            parts.add(body);
            if (r.framing() == Framing.CHUNKED) {
                parts.add("chunked");
            }
        }
        parts.add("sent " + size(e.sent().size()));
        parts.add("received " + size(e.received().size()));
        Timings t = e.timings();
        time(parts, "dns", t.dns());
        time(parts, "connect", t.connect());
        time(parts, "tls", t.tls());
        time(parts, "first byte", t.firstByte());
        time(parts, "total", t.total());
        if (next != null) {
            parts.add("redirect to " + next.spec().url());
        }
        return "* " + String.join(" · ", parts);
    }

    private static void time(List<String> parts, String what, Duration d) {
        if (d != null) {
            parts.add(what + " " + String.format(Locale.ROOT, "%.1f ms", d.toNanos() / 1e6));
        }
    }

    /** {@code 512 B}, {@code 1.5 KiB}, {@code 3.0 MiB}. */
    public static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}
