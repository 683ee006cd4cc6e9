package dev.sluice.inspect.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.Direction;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.LinearLayout;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.TextBox;
import com.googlecode.lanterna.gui2.Window;
import com.googlecode.lanterna.gui2.WindowBasedTextGUI;
import com.googlecode.lanterna.gui2.WindowListenerAdapter;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One line asked for in a small window: Enter takes it, Escape gives up. (Lanterna's own text
 * dialog moves to its OK button on Enter, a second key for every search.)
 */
final class Prompt {

    private Prompt() {}

    static Optional<String> ask(WindowBasedTextGUI gui, String title, String question, String initial) {
        int width = Math.max(question.length(), 50);
        TextBox box = new TextBox(new TerminalSize(Math.min(width, gui.getScreen().getTerminalSize().getColumns() - 8), 1),
                initial);
        box.setCaretPosition(initial.length());
        BasicWindow window = new BasicWindow(title);
        window.setHints(List.of(Window.Hint.CENTERED, Window.Hint.MODAL));
        Panel panel = new Panel(new LinearLayout(Direction.VERTICAL));
        panel.addComponent(new Label(question));
        panel.addComponent(box);
        panel.addComponent(new Label("Enter: OK · Escape: cancel"));
        window.setComponent(panel);
        AtomicReference<String> answer = new AtomicReference<>();
        window.addWindowListener(new WindowListenerAdapter() {
            @Override
            public void onInput(Window w, KeyStroke key, AtomicBoolean deliverEvent) {
                if (key.getKeyType() == KeyType.Enter) {
                    answer.set(box.getText());
                } else if (key.getKeyType() != KeyType.Escape) {
                    return;
                }
                deliverEvent.set(false);
                w.close();
            }
        });
        gui.addWindowAndWait(window);
        return Optional.ofNullable(answer.get());
    }
}
