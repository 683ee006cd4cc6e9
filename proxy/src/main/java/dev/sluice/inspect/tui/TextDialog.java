package dev.sluice.inspect.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.Direction;
import com.googlecode.lanterna.gui2.LinearLayout;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.TextBox;
import com.googlecode.lanterna.gui2.Window;
import com.googlecode.lanterna.gui2.WindowBasedTextGUI;
import com.googlecode.lanterna.gui2.WindowListenerAdapter;
import com.googlecode.lanterna.input.KeyType;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** Text in a window of its own, read-only but scrollable and selectable with the mouse; Escape or Close ends it. */
final class TextDialog {

    private TextDialog() {}

    static void show(WindowBasedTextGUI gui, String title, String text) {
        TerminalSize screen = gui.getScreen().getTerminalSize();
        int columns = text.lines().mapToInt(String::length).max().orElse(10) + 2;
        int rows = (int) text.lines().count();
        TextBox box = new TextBox(new TerminalSize(Math.min(columns, screen.getColumns() - 8),
                Math.min(rows, screen.getRows() - 8)), text, TextBox.Style.MULTI_LINE);
        box.setReadOnly(true);
        BasicWindow window = new BasicWindow(title);
        window.setHints(List.of(Window.Hint.CENTERED, Window.Hint.MODAL));
        Panel panel = new Panel(new LinearLayout(Direction.VERTICAL));
        panel.addComponent(box);
        panel.addComponent(new Button("Close", window::close));
        window.setComponent(panel);
        window.addWindowListener(new WindowListenerAdapter() {
            @Override
            public void onUnhandledInput(Window w, com.googlecode.lanterna.input.KeyStroke key, AtomicBoolean handled) {
                if (key.getKeyType() == KeyType.Escape) {
                    w.close();
                    handled.set(true);
                }
            }
        });
        gui.addWindowAndWait(window);
    }
}
