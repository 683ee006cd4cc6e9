package dev.sluice.inspect.tui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalPosition;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.gui2.AbstractInteractableComponent;
import com.googlecode.lanterna.gui2.InteractableRenderer;
import com.googlecode.lanterna.gui2.TextGUIGraphics;
import com.googlecode.lanterna.input.KeyStroke;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The response pane: coloured lines that scroll both ways, with the matches of a search
 * highlighted and the current one brought into view. Read-only; it takes focus so that arrows,
 * {@code n} and Enter reach it.
 */
final class ResponseView extends AbstractInteractableComponent<ResponseView> {

    private record Match(int line, int column) {}

    private static final int SIDE_STEP = 8;

    private List<StyledLine> lines = List.of();
    private int top;
    private int left;
    private int height = 1;
    private int width = 1;
    private String query = "";
    private List<Match> matches = List.of();
    private int current = -1;

    void show(List<StyledLine> newLines) {
        lines = List.copyOf(newLines);
        top = 0;
        left = 0;
        findMatches();
        invalidate();
    }

    /** Scrolls by {@code rows}, down when positive. */
    void scroll(int rows) {
        top = Math.clamp(top + (long) rows, 0, Math.max(0, lines.size() - height));
        invalidate();
    }

    /** A page, less one line kept for context. */
    int page() {
        return Math.max(1, height - 1);
    }

    /** Highlights {@code text} (ignoring case) and shows its first match from the top of the pane; a status line. */
    String search(String text) {
        query = text;
        findMatches();
        current = -1;
        for (int i = 0; i < matches.size() && current < 0; i++) {
            if (matches.get(i).line() >= top) {
                current = i;
            }
        }
        return reveal(matches.isEmpty() ? -1 : Math.max(current, 0));
    }

    /** Shows the next match, after the last one the first; a status line. */
    String next() {
        return reveal(matches.isEmpty() ? -1 : (current + 1) % matches.size());
    }

    private String reveal(int index) {
        invalidate();
        if (query.isEmpty()) {
            return "";
        }
        if (index < 0) {
            return "no match for \"" + query + "\"";
        }
        current = index;
        Match m = matches.get(index);
        if (m.line() < top || m.line() >= top + height) {
            top = Math.max(0, m.line() - height / 3);
        }
        if (m.column() < left || m.column() + query.length() > left + width) {
            left = Math.max(0, m.column() - width / 3);
        }
        return "match " + (index + 1) + " of " + matches.size() + " for \"" + query + "\" (n or Enter: next)";
    }

    private void findMatches() {
        List<Match> found = new ArrayList<>();
        if (!query.isEmpty()) {
            String q = query.toLowerCase(Locale.ROOT);
            for (int i = 0; i < lines.size(); i++) {
                String text = lines.get(i).text().toLowerCase(Locale.ROOT);
                for (int at = text.indexOf(q); at >= 0; at = text.indexOf(q, at + q.length())) {
                    found.add(new Match(i, at));
                }
            }
        }
        matches = found;
        current = Math.min(current, matches.size() - 1);
    }

    @Override
    protected Result handleKeyStroke(KeyStroke key) {
        switch (key.getKeyType()) {
            case ArrowUp -> scroll(-1);
            case ArrowDown -> scroll(1);
            case PageUp -> scroll(-page());
            case PageDown -> scroll(page());
            case Home -> scroll(-lines.size());
            case End -> scroll(lines.size());
            case ArrowLeft -> {
                left = Math.max(0, left - SIDE_STEP);
                invalidate();
            }
            case ArrowRight -> {
                left += SIDE_STEP;
                invalidate();
            }
            default -> {
                return super.handleKeyStroke(key); // Tab and Shift-Tab move the focus
            }
        }
        return Result.HANDLED;
    }

    @Override
    protected InteractableRenderer<ResponseView> createDefaultRenderer() {
        return new Renderer();
    }

    private static final class Renderer implements InteractableRenderer<ResponseView> {

        @Override
        public TerminalPosition getCursorLocation(ResponseView v) {
            return null; // no cursor: the pane is read-only
        }

        @Override
        public TerminalSize getPreferredSize(ResponseView v) {
            return new TerminalSize(40, 10);
        }

        @Override
        public void drawComponent(TextGUIGraphics g, ResponseView v) {
            v.height = g.getSize().getRows();
            v.width = g.getSize().getColumns();
            g.applyThemeStyle(v.getThemeDefinition().getNormal());
            g.fill(' ');
            for (int row = 0; row < v.height && v.top + row < v.lines.size(); row++) {
                int x = -v.left;
                for (Span s : v.lines.get(v.top + row).spans()) {
                    if (s.color() == null) {
                        g.applyThemeStyle(v.getThemeDefinition().getNormal());
                    } else {
                        g.setForegroundColor(s.color());
                    }
                    g.putString(x, row, s.text());
                    x += s.text().length();
                }
            }
            for (int i = 0; i < v.matches.size(); i++) {
                Match m = v.matches.get(i);
                int row = m.line() - v.top;
                if (row >= 0 && row < v.height) {
                    String text = v.lines.get(m.line()).text().substring(m.column(), m.column() + v.query.length());
                    g.setForegroundColor(TextColor.ANSI.BLACK);
                    g.setBackgroundColor(i == v.current ? TextColor.ANSI.YELLOW_BRIGHT : TextColor.ANSI.WHITE);
                    g.putString(m.column() - v.left, row, text, SGR.BOLD);
                }
            }
        }
    }
}
