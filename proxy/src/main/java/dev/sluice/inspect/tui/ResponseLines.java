package dev.sluice.inspect.tui;

import com.googlecode.lanterna.TextColor;
import dev.sluice.inspect.BodyText;
import dev.sluice.inspect.ByteString;
import dev.sluice.inspect.Exchange;
import dev.sluice.inspect.Header;
import dev.sluice.inspect.Response;
import dev.sluice.inspect.Transfer;
import dev.sluice.inspect.Visible;
import java.util.ArrayList;
import java.util.List;

/** What the response pane shows of a transfer: the response read, or the exact bytes each way. */
final class ResponseLines {

    static final TextColor HEADER_NAME = TextColor.ANSI.CYAN;
    static final TextColor SENT = TextColor.ANSI.CYAN;
    static final TextColor FAILED = TextColor.ANSI.RED_BRIGHT;

    private ResponseLines() {}

    /** The final response: status line, headers, then the body as {@link BodyText} shows it, JSON coloured. */
    static List<StyledLine> response(Transfer t) {
        List<StyledLine> lines = new ArrayList<>();
        Response r = t.response().orElse(null);
        if (r == null) {
            lines.add(StyledLine.of(t.failure() == null ? "no response" : "no response: " + t.failure(), FAILED));
            return lines;
        }
        lines.add(StyledLine.of(Visible.of(r.head().statusLine()), statusColor(r.status())));
        for (Header h : r.head().headers()) {
            lines.add(new StyledLine(List.of(new Span(Visible.of(h.name()), HEADER_NAME),
                    Span.plain(": " + Visible.of(h.value())))));
        }
        lines.add(StyledLine.plain(""));
        BodyText body = BodyText.of(r.body(), r.header("Content-Type").orElse(null));
        for (String line : body.text().split("\n", -1)) {
            lines.add(body.kind() == BodyText.Kind.JSON ? JsonColors.line(line) : StyledLine.plain(Visible.of(line)));
        }
        if (!r.complete()) {
            lines.add(StyledLine.of("(the body is incomplete)", FAILED));
        }
        return lines;
    }

    /** Every byte sent (in cyan), then every byte received, exchange by exchange, a line at each LF. */
    static List<StyledLine> wire(Transfer t) {
        List<StyledLine> lines = new ArrayList<>();
        for (Exchange e : t.exchanges()) {
            bytes(e.sent(), SENT, lines);
            bytes(e.received(), null, lines);
        }
        if (lines.isEmpty()) {
            lines.add(StyledLine.of("nothing went over the wire" + (t.failure() == null ? "" : ": " + t.failure()), FAILED));
        }
        return lines;
    }

    private static void bytes(ByteString b, TextColor color, List<StyledLine> lines) {
        if (b.isEmpty()) {
            return;
        }
        String[] split = b.utf8().split("\n", -1);
        int count = split[split.length - 1].isEmpty() ? split.length - 1 : split.length; // a last LF ends a line
        for (int i = 0; i < count; i++) {
            String line = split[i].endsWith("\r") ? split[i].substring(0, split[i].length() - 1) : split[i];
            lines.add(new StyledLine(List.of(new Span(Visible.of(line), color))));
        }
    }

    static TextColor statusColor(int status) {
        return status >= 500 ? TextColor.ANSI.RED_BRIGHT
                : status >= 400 ? TextColor.ANSI.YELLOW_BRIGHT
                : status >= 300 ? TextColor.ANSI.CYAN_BRIGHT : TextColor.ANSI.GREEN_BRIGHT;
    }
}
