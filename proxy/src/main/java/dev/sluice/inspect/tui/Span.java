package dev.sluice.inspect.tui;

import com.googlecode.lanterna.TextColor;

/** A run of text drawn in one colour; {@code color} null for the pane's own. */
record Span(String text, TextColor color) {

    static Span plain(String text) {
        return new Span(text, null);
    }
}
