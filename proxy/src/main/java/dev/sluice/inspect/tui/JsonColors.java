package dev.sluice.inspect.tui;

import com.googlecode.lanterna.TextColor;
import java.util.ArrayList;
import java.util.List;

/**
 * Colours one line of indented JSON: keys, strings, numbers and {@code true}/{@code false}/{@code null}
 * apart. A line at a time is enough because the indented text never has a string across lines
 * (a newline in a string is written {@code \n}).
 */
final class JsonColors {

    static final TextColor KEY = TextColor.ANSI.CYAN_BRIGHT;
    static final TextColor STRING = TextColor.ANSI.GREEN;
    static final TextColor NUMBER = TextColor.ANSI.YELLOW;
    static final TextColor LITERAL = TextColor.ANSI.MAGENTA;

    private JsonColors() {}

    static StyledLine line(String line) {
        List<Span> spans = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            int end;
            TextColor color;
            if (c == '"') {
                end = stringEnd(line, i);
                color = line.startsWith(":", skipSpaces(line, end)) ? KEY : STRING;
            } else if (c == '-' || Character.isDigit(c)) {
                end = wordEnd(line, i);
                color = NUMBER;
            } else if (Character.isLetter(c)) {
                end = wordEnd(line, i);
                color = LITERAL;
            } else {
                end = i + 1;
                color = null;
            }
            spans.add(new Span(line.substring(i, end), color));
            i = end;
        }
        return new StyledLine(spans);
    }

    /** The index after the closing quote of the string that opens at {@code start}. */
    private static int stringEnd(String s, int start) {
        for (int i = start + 1; i < s.length(); i++) {
            if (s.charAt(i) == '\\') {
                i++;
            } else if (s.charAt(i) == '"') {
                return i + 1;
            }
        }
        return s.length();
    }

    private static int wordEnd(String s, int start) {
        int i = start;
        while (i < s.length() && ",]}: ".indexOf(s.charAt(i)) < 0) {
            i++;
        }
        return i;
    }

    private static int skipSpaces(String s, int from) {
        int i = from;
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return i;
    }
}
