package dev.sluice.inspect.tui;

import java.util.List;

/** The keys the inspector answers to, as the help window lists them. */
final class KeyMap {

    record Row(String keys, String what) {}

    static final List<Row> ROWS = List.of(
            new Row("Ctrl-R", "send the request"),
            new Row("Tab / Shift-Tab", "next / previous pane"),
            new Row("PgUp / PgDn", "scroll the response (arrows, Home, End too when it has the focus)"),
            new Row("/ or Ctrl-F", "search the response; n or Enter: next match"),
            new Row("Ctrl-W", "the response, or the exact bytes sent and received"),
            new Row("Ctrl-S", "save the response body to a file"),
            new Row("Ctrl-Y", "copy the request as a curl command"),
            new Row("F2", "history: Enter loads a past request"),
            new Row("F3", "live traffic (with --live): Enter loads a request to send again"),
            new Row("F1", "this help"),
            new Row("Ctrl-Q / Ctrl-C", "quit"),
            new Row("curl …", "a curl command pasted in the URL line fills every pane (Enter)"));

    private KeyMap() {}

    static String help() {
        int width = ROWS.stream().mapToInt(r -> r.keys().length()).max().orElse(0);
        StringBuilder b = new StringBuilder();
        for (Row r : ROWS) {
            b.append(String.format("%-" + width + "s  %s%n", r.keys(), r.what()));
        }
        return b.toString();
    }
}
