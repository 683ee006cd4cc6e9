package dev.sluice.inspect.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.TextBox;
import dev.sluice.inspect.ByteString;
import dev.sluice.inspect.CurlException;
import dev.sluice.inspect.Header;
import dev.sluice.inspect.RequestSpec;
import dev.sluice.inspect.Url;
import java.util.ArrayList;
import java.util.List;

/**
 * The request as the editor panes hold it: {@code METHOD URL} on one line, the query's
 * parameters, the headers ({@code Name: value} a line) and the body. What the panes cannot show
 * (curl's options such as {@code -k} or {@code -L}, headers left out with {@code -H 'Name:'}) is
 * kept from the request last loaded.
 */
final class RequestForm {

    final TextBox line = new TextBox(new TerminalSize(60, 1));
    final TextBox params = new TextBox(new TerminalSize(38, 3), TextBox.Style.MULTI_LINE);
    final TextBox headers = new TextBox(new TerminalSize(38, 6), TextBox.Style.MULTI_LINE);
    final TextBox body = new TextBox(new TerminalSize(38, 3), TextBox.Style.MULTI_LINE);

    private RequestSpec base;
    private String paramsShown = ""; // the parameters as taken from the URL: edited when they differ

    /** Shows {@code spec}; {@code showUrl} false leaves the URL empty, for a new request to type. */
    void load(RequestSpec spec, boolean showUrl) {
        base = spec;
        line.setText(spec.method() + " " + (showUrl ? spec.url().toString() : ""));
        paramsShown = showUrl ? QueryParams.lines(spec.url().query()) : "";
        params.setText(paramsShown);
        List<String> h = new ArrayList<>();
        spec.headers().forEach(x -> h.add(x.name() + ": " + x.value()));
        headers.setText(String.join("\n", h));
        body.setText(spec.hasBody() ? spec.body().utf8() : "");
    }

    /** The request the panes describe; the query from the parameters pane when it was edited, else the URL's. */
    RequestSpec spec() throws CurlException {
        String text = line.getText().strip();
        String[] words = text.split("\\s+", 2);
        boolean methodGiven = words.length == 2 && words[0].chars().allMatch(Character::isUpperCase);
        String bodyText = body.getText();
        String method = methodGiven ? words[0] : bodyText.isEmpty() ? "GET" : "POST";
        Url url = Url.parse(methodGiven ? words[1] : text);
        if (!params.getText().equals(paramsShown)) {
            url = url.withQuery(QueryParams.query(params.getText()));
        }
        try {
            return base.toBuilder()
                    .method(method)
                    .url(url)
                    .headers(headers())
                    .body(bodyText.isEmpty() ? null : ByteString.utf8(bodyText))
                    .build();
        } catch (IllegalArgumentException e) {
            throw CurlException.usage(e.getMessage());
        }
    }

    private List<Header> headers() throws CurlException {
        List<Header> list = new ArrayList<>();
        String[] lines = headers.getText().split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw CurlException.usage("headers line " + (i + 1) + ", \"" + lines[i].strip()
                        + "\": write a header as Name: value");
            }
            list.add(new Header(lines[i].substring(0, colon).strip(), lines[i].substring(colon + 1).strip()));
        }
        return list;
    }

    /** The line holds a pasted command ({@code curl 'https://…' -H …}) rather than a URL. */
    boolean holdsCurlCommand() {
        return line.getText().stripLeading().startsWith("curl ");
    }
}
