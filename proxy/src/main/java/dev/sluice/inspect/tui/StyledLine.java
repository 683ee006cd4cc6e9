package dev.sluice.inspect.tui;

import com.googlecode.lanterna.TextColor;
import java.util.List;

/** One line of the response pane, as coloured spans. */
record StyledLine(List<Span> spans) {

    StyledLine {
        spans = List.copyOf(spans);
    }

    static StyledLine plain(String text) {
        return new StyledLine(List.of(Span.plain(text)));
    }

    static StyledLine of(String text, TextColor color) {
        return new StyledLine(List.of(new Span(text, color)));
    }

    /** The characters, without colour: what search looks in. */
    String text() {
        StringBuilder b = new StringBuilder();
        spans.forEach(s -> b.append(s.text()));
        return b.toString();
    }
}
