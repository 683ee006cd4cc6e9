package dev.sluice.inspect.tui;

import static java.util.Objects.requireNonNull;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.SimpleTheme;
import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.Borders;
import com.googlecode.lanterna.gui2.Component;
import com.googlecode.lanterna.gui2.GridLayout;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.MultiWindowTextGUI;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.Window;
import com.googlecode.lanterna.gui2.WindowListenerAdapter;
import com.googlecode.lanterna.gui2.dialogs.ListSelectDialogBuilder;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.Screen;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.DefaultTerminalFactory;
import com.googlecode.lanterna.terminal.Terminal;
import com.googlecode.lanterna.terminal.ansi.UnixLikeTerminal;
import dev.sluice.inspect.Client;
import dev.sluice.inspect.CurlCommand;
import dev.sluice.inspect.CurlException;
import dev.sluice.inspect.CurlRenderer;
import dev.sluice.inspect.History;
import dev.sluice.inspect.HistoryEntry;
import dev.sluice.inspect.LiveRequest;
import dev.sluice.inspect.RequestSpec;
import dev.sluice.inspect.Response;
import dev.sluice.inspect.Transfer;
import dev.sluice.inspect.TransferPrinter;
import dev.sluice.inspect.Url;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code sluice inspect} without {@code --print}: a full-screen editor for one request, sent
 * with {@link Client} on a thread of its own while the screen stays live, its response (or the
 * exact bytes each way) beside it, and the {@link History} a key away. The keys are in
 * {@link KeyMap}.
 */
public final class Inspector {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    /** Where to watch live traffic: a running Sluice's admin listener, and its token. */
    public record LiveSource(Url admin, String token) {}

    private final MultiWindowTextGUI gui;
    private final Optional<History> history;
    private LiveTraffic live;
    private final Client client = Client.create();
    private final BasicWindow window = new BasicWindow();
    private final RequestForm form = new RequestForm();
    private final ResponseView response = new ResponseView();
    private final Label viewTitle = new Label("");
    private final Label status = new Label("");
    private Transfer last;
    private boolean wire;
    private boolean sending;
    private String query = "";

    private Inspector(MultiWindowTextGUI gui, Optional<History> history) {
        this.gui = gui;
        this.history = history;
    }

    /**
     * Runs until the user quits, on this thread, and gives the terminal back as it was.
     * {@code request} is shown to edit (empty: a GET to type a URL for); sent requests are added
     * to {@code history} when there is one; with a {@code liveSource}, the requests going through that
     * proxy can be picked (F3) and sent again.
     */
    public static void run(Optional<RequestSpec> request, Optional<History> history, Optional<LiveSource> liveSource)
            throws IOException {
        requireNonNull(request, "request");
        requireNonNull(history, "history");
        requireNonNull(liveSource, "liveSource");
        // Ctrl-C is trapped so that it reaches the window as a key and quits the way Ctrl-Q does.
        Terminal terminal = new DefaultTerminalFactory().setForceTextTerminal(true)
                .setUnixTerminalCtrlCBehaviour(UnixLikeTerminal.CtrlCBehaviour.TRAP).createTerminal();
        // After Lanterna saved the terminal's settings, which it puts back when it closes.
        String flowControl = freeCtrlSAndCtrlQ();
        Screen screen = new TerminalScreen(terminal);
        screen.startScreen();
        try {
            MultiWindowTextGUI gui = new MultiWindowTextGUI(screen, TextColor.ANSI.BLACK);
            gui.setTheme(SimpleTheme.makeTheme(true, TextColor.ANSI.WHITE, TextColor.ANSI.BLACK, TextColor.ANSI.WHITE,
                    TextColor.ANSI.BLACK_BRIGHT, TextColor.ANSI.BLACK, TextColor.ANSI.CYAN, TextColor.ANSI.BLACK));
            new Inspector(gui, history).show(request, flowControl, liveSource);
        } finally {
            screen.stopScreen();
            terminal.close();
        }
    }

    /**
     * Turns off the terminal's XON/XOFF flow control, which would take Ctrl-S (stop output) and
     * Ctrl-Q (resume) before the inspector saw them. Null when done, else what went wrong.
     */
    private static String freeCtrlSAndCtrlQ() {
        try {
            Process stty = new ProcessBuilder("stty", "-ixon").redirectInput(new File("/dev/tty"))
                    .redirectErrorStream(true).start();
            String out = new String(stty.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return stty.waitFor() == 0 ? null : "stty -ixon: " + out;
        } catch (IOException e) {
            return "stty -ixon: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "stty -ixon: interrupted";
        }
    }

    private void show(Optional<RequestSpec> request, String flowControl, Optional<LiveSource> liveSource) {
        form.load(request.orElseGet(Inspector::blank), request.isPresent());
        response.show(List.of());
        viewTitle.setText("Response");
        if (flowControl == null) {
            status("Ctrl-R send · Tab next pane · F1 help · Ctrl-Q quit", null);
        } else {
            fail("the terminal may keep Ctrl-S and Ctrl-Q for flow control (" + flowControl + "); F1 help");
        }
        liveSource.ifPresent(this::watch);
        window.setHints(List.of(Window.Hint.FULL_SCREEN, Window.Hint.NO_DECORATIONS));
        window.setComponent(layout());
        window.addWindowListener(new WindowListenerAdapter() {
            @Override
            public void onInput(Window w, KeyStroke key, AtomicBoolean deliverEvent) {
                // Here, before the focused box would take Ctrl-letters as text.
                if (handle(key)) {
                    deliverEvent.set(false);
                }
            }
        });
        window.setFocusedInteractable(form.line);
        try {
            gui.addWindowAndWait(window);
        } finally {
            stopWatching();
        }
    }

    private void watch(LiveSource source) {
        try {
            live = LiveTraffic.watch(source.admin(), source.token(), summary -> gui.getGUIThread().invokeLater(
                    () -> status("live: " + summary + " · F3 lists the requests", null)));
            status("watching the requests through the proxy of " + live.admin().authority() + ": F3 lists them",
                    null);
        } catch (IOException e) {
            fail("no live traffic: " + e.getMessage());
        }
    }

    private void stopWatching() {
        if (live != null) {
            try {
                live.close();
            } catch (IOException e) {
                // Closing the feed's socket as the inspector quits: the screen is gone, nobody is left to tell.
                live = null;
            }
        }
    }

    /** A request seen live, as the list shows it. */
    private record Seen(LiveRequest request) {

        @Override
        public String toString() {
            return request.summary();
        }
    }

    private void liveList() {
        if (live == null) {
            fail("no live traffic: start with --live http://ADMIN-HOST:PORT (and --token)");
            return;
        }
        List<LiveRequest> requests = live.newestFirst();
        if (requests.isEmpty()) {
            status(live.ended() != null ? live.ended() : "no request through the proxy yet", null);
            return;
        }
        TerminalSize screen = gui.getScreen().getTerminalSize();
        Seen chosen = new ListSelectDialogBuilder<Seen>()
                .setTitle("Live traffic")
                .setDescription("Newest first · Enter loads the request, to send again · Escape closes")
                .setListBoxSize(new TerminalSize(screen.getColumns() - 10,
                        Math.min(requests.size(), screen.getRows() - 10)))
                .addListItems(requests.stream().map(Seen::new).toArray(Seen[]::new))
                .build()
                .showDialog(gui);
        if (chosen != null) {
            try {
                Url target = live.target(chosen.request());
                form.load(chosen.request().replayTo(target), true);
                status("loaded from live traffic: Ctrl-R sends it again to " + target.authority(), null);
                window.setFocusedInteractable(form.line);
            } catch (IOException e) {
                fail("cannot send it again: " + e.getMessage());
            }
        }
    }

    /** A GET with the headers curl sends, and no URL yet. */
    private static RequestSpec blank() {
        try {
            return CurlCommand.parse(List.of("http://localhost/")).request();
        } catch (CurlException e) {
            throw new IllegalStateException("a fixed URL did not parse", e);
        }
    }

    private Panel layout() {
        Panel left = grid();
        add(left, form.params.withBorder(Borders.singleLine("Query parameters")), false);
        add(left, form.headers.withBorder(Borders.singleLine("Headers")), true);
        add(left, form.body.withBorder(Borders.singleLine("Body")), true);
        Panel right = grid();
        add(right, viewTitle, false);
        add(right, response, true);
        Panel middle = grid(2);
        left.setLayoutData(GridLayout.createLayoutData(GridLayout.Alignment.FILL, GridLayout.Alignment.FILL, false, true));
        middle.addComponent(left);
        add(middle, right.withBorder(Borders.singleLine("Response")), true);
        Panel root = grid();
        add(root, form.line.withBorder(Borders.singleLine("METHOD URL, or a pasted curl command")), false);
        add(root, middle, true);
        add(root, status, false);
        return root;
    }

    private static Panel grid(int columns) {
        GridLayout g = new GridLayout(columns);
        g.setHorizontalSpacing(0);
        g.setLeftMarginSize(0);
        g.setRightMarginSize(0);
        return new Panel(g);
    }

    private static Panel grid() {
        return grid(1);
    }

    /** Adds {@code c} filling its cell across; down as well, taking spare rows, when {@code grow}. */
    private static void add(Panel p, Component c, boolean grow) {
        c.setLayoutData(GridLayout.createLayoutData(GridLayout.Alignment.FILL,
                grow ? GridLayout.Alignment.FILL : GridLayout.Alignment.BEGINNING, true, grow));
        p.addComponent(c);
    }

    /** Acts on a key meant for the inspector rather than the focused pane; false to let the pane have it. */
    private boolean handle(KeyStroke key) {
        boolean onLine = window.getFocusedInteractable() == form.line;
        boolean onResponse = window.getFocusedInteractable() == response;
        if (key.getKeyType() == KeyType.Character && key.isCtrlDown()) {
            switch (Character.toLowerCase(key.getCharacter())) {
                case 'r' -> send();
                case 'w' -> toggleWire();
                case 's' -> save();
                case 'y' -> copy();
                case 'f' -> search();
                case 'h' -> history();
                case 'q', 'c' -> window.close();
                default -> {
                    return false;
                }
            }
            return true;
        }
        switch (key.getKeyType()) {
            case F1 -> TextDialog.show(gui, "Keys", KeyMap.help());
            case F2 -> history();
            case F3 -> liveList();
            case PageUp, PageDown -> {
                if (onResponse) {
                    return false;
                }
                response.scroll(key.getKeyType() == KeyType.PageUp ? -response.page() : response.page());
            }
            case Enter, Tab -> {
                if (onLine && form.holdsCurlCommand()) {
                    pasted();
                } else if (onLine && key.getKeyType() == KeyType.Enter) {
                    send();
                } else if (onResponse && key.getKeyType() == KeyType.Enter) {
                    status(response.next(), null);
                } else {
                    return false;
                }
            }
            case Character -> {
                if (onResponse && key.getCharacter() == '/') {
                    search();
                } else if (onResponse && key.getCharacter() == 'n') {
                    status(response.next(), null);
                } else {
                    return false;
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /**
     * A pasted command arrives a key at a time: a line that ends in {@code \} goes on with the
     * next, so its Enter becomes a space; at the last line the whole command fills the panes.
     */
    private void pasted() {
        String text = form.line.getText();
        if (text.endsWith("\\")) {
            form.line.setText(text.substring(0, text.length() - 1) + " ");
            form.line.setCaretPosition(form.line.getText().length());
            return;
        }
        try {
            // stdin is the terminal: a pasted -d @- gets nothing rather than the keyboard
            form.load(CurlCommand.parse(CurlCommand.words(text), InputStream.nullInputStream()).request(), true);
            status("the curl command is in the panes: Ctrl-R sends it", null);
        } catch (CurlException e) {
            fail("the pasted curl command: " + e.getMessage());
        }
    }

    private void send() {
        if (form.holdsCurlCommand()) {
            pasted();
        }
        if (sending) {
            status("still sending the last request…", null);
            return;
        }
        Optional<RequestSpec> edited = edited();
        if (edited.isEmpty()) {
            return;
        }
        RequestSpec spec = edited.get();
        form.load(spec, true); // the URL and the parameters agree again
        sending = true;
        status("sending " + spec.method() + " " + spec.url() + " …", null);
        Thread.ofVirtual().name("inspect-send").start(() -> {
            try {
                Transfer t = client.send(spec);
                String notKept = remember(t);
                gui.getGUIThread().invokeLater(() -> received(t, notKept));
            } catch (RuntimeException e) {
                gui.getGUIThread().invokeLater(() -> {
                    sending = false;
                    fail("sending failed: " + e);
                });
            }
        });
    }

    /** The request in the panes; empty, with what is wrong in the status bar, when they do not make one. */
    private Optional<RequestSpec> edited() {
        try {
            return Optional.of(form.spec());
        } catch (CurlException e) {
            fail(e.getMessage());
            return Optional.empty();
        }
    }

    /** Adds {@code t} to the history; why it was not, or null. */
    private String remember(Transfer t) {
        Optional<HistoryEntry> entry = HistoryEntry.of(t, Instant.now());
        if (history.isEmpty() || entry.isEmpty()) {
            return null;
        }
        try {
            history.get().append(entry.get());
            return null;
        } catch (IOException e) {
            return "not added to the history " + history.get().file() + ": " + e;
        }
    }

    private void received(Transfer t, String notKept) {
        sending = false;
        last = t;
        showTransfer();
        String summary = t.last().map(e -> TransferPrinter.summary(e, null).substring(2)).orElse("");
        if (t.failure() != null) {
            fail((summary.isEmpty() ? "" : summary + " · ") + "failed: " + t.failure());
        } else {
            status(summary + (notKept == null ? "" : " · " + notKept),
                    t.response().map(r -> ResponseLines.statusColor(r.status())).orElse(null));
        }
    }

    private void showTransfer() {
        if (last != null) {
            response.show(wire ? ResponseLines.wire(last) : ResponseLines.response(last));
            response.search(query);
        }
        // short: a longer title would widen this column at the editors' cost
        viewTitle.setText(wire ? "Wire: bytes sent (cyan), received" : "Response · Ctrl-W: wire bytes");
    }

    private void toggleWire() {
        wire = !wire;
        showTransfer();
    }

    private void search() {
        Prompt.ask(gui, "Search", "Find in the response (any case):", query).ifPresent(q -> {
            query = q;
            status(response.search(q), null);
            window.setFocusedInteractable(response);
        });
    }

    private void save() {
        Optional<Response> r = last == null ? Optional.empty() : last.response();
        if (r.isEmpty()) {
            fail("no response body to save yet: Ctrl-R sends the request");
            return;
        }
        String path = last.last().orElseThrow().spec().url().path();
        String name = path.substring(path.lastIndexOf('/') + 1);
        Optional<String> file = Prompt.ask(gui, "Save the body", "Write the response body ("
                + TransferPrinter.size(r.get().body().size()) + ") to:", name.isEmpty() ? "response" : name);
        if (file.isEmpty() || file.get().isBlank()) {
            return;
        }
        Path to = Path.of(file.get().strip());
        byte[] body = r.get().body().toByteArray();
        Thread.ofVirtual().name("inspect-save").start(() -> {
            try {
                Files.write(to, body);
                gui.getGUIThread().invokeLater(() -> status("body written to " + to.toAbsolutePath(), null));
            } catch (IOException e) {
                gui.getGUIThread().invokeLater(() -> fail("cannot write the body to " + to + ": " + e));
            }
        });
    }

    private void copy() {
        Optional<RequestSpec> edited = edited();
        if (edited.isEmpty()) {
            return;
        }
        String curl = CurlRenderer.renderMultiline(edited.get());
        // Terminals that allow OSC 52 put it on the clipboard; the window is there for those that do not.
        System.out.print(Osc52.copy(curl));
        System.out.flush();
        status("curl command sent to the terminal's clipboard (OSC 52) and shown to select", null);
        TextDialog.show(gui, "The request as a curl command", curl);
    }

    /** A past request in the history list: when, how it ended, what it was. */
    private record Past(HistoryEntry entry, String label) {

        @Override
        public String toString() {
            return label;
        }
    }

    private void history() {
        if (history.isEmpty()) {
            fail("no history: it was turned off with --no-history");
            return;
        }
        List<HistoryEntry> entries;
        try {
            entries = history.get().load().entries();
        } catch (IOException e) {
            fail("cannot read the history " + history.get().file() + ": " + e);
            return;
        }
        if (entries.isEmpty()) {
            status("the history is empty: requests sent are added to it", null);
            return;
        }
        List<Past> items = new ArrayList<>();
        for (HistoryEntry e : entries.reversed()) {
            items.add(new Past(e, WHEN.format(e.time()) + "  " + (e.status() != null ? e.status() : "ERR") + "  "
                    + what(e)));
        }
        TerminalSize screen = gui.getScreen().getTerminalSize();
        Past chosen = new ListSelectDialogBuilder<Past>()
                .setTitle("History")
                .setDescription("Newest first · Enter loads the request · Escape closes")
                .setListBoxSize(new TerminalSize(screen.getColumns() - 10, Math.min(items.size(), screen.getRows() - 10)))
                .addListItems(items.toArray(Past[]::new))
                .build()
                .showDialog(gui);
        if (chosen != null) {
            try {
                form.load(chosen.entry().request(), true);
                status("loaded from the history: Ctrl-R sends it", null);
                window.setFocusedInteractable(form.line);
            } catch (CurlException e) {
                fail("that history line no longer reads as a request: " + e.getMessage());
            }
        }
    }

    /** {@code GET https://…} of an entry, or its curl line when that does not read back. */
    private static String what(HistoryEntry e) {
        try {
            RequestSpec spec = e.request();
            return spec.method() + " " + spec.url();
        } catch (CurlException x) {
            return e.curl();
        }
    }

    private void status(String text, TextColor color) {
        status.setText(wrap(text, gui.getScreen().getTerminalSize().getColumns()));
        status.setForegroundColor(color == null ? TextColor.ANSI.WHITE : color);
    }

    private void fail(String text) {
        status(text, ResponseLines.FAILED);
    }

    /** {@code text} on lines of at most {@code width}, broken after a {@code ·} where there is one. */
    static String wrap(String text, int width) {
        StringBuilder out = new StringBuilder();
        int lineStart = 0;
        for (String part : text.split("(?<= · )")) {
            if (out.length() - lineStart + part.length() > width && out.length() > lineStart) {
                out.append('\n');
                lineStart = out.length();
            }
            out.append(part);
        }
        return out.toString();
    }
}
