package dev.sluice.inspect;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Optional;

/**
 * JSON indented for reading, token by token: numbers are written as they came (no rounding),
 * keys that repeat stay (a tree would keep one), and nothing that is not one whole JSON value is
 * changed.
 */
final class JsonPretty {

    private static final JsonFactory JSON = new JsonFactory();
    private static final DefaultPrettyPrinter PRINTER = new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"));

    private JsonPretty() {}

    /** {@code body} indented, or empty when it is not one JSON value. */
    static Optional<String> of(ByteString body) {
        StringWriter out = new StringWriter(body.size() * 2);
        try (JsonParser p = JSON.createParser(body.toByteArray()); JsonGenerator g = JSON.createGenerator(out)) {
            g.setPrettyPrinter(PRINTER);
            if (p.nextToken() == null) {
                return Optional.empty();
            }
            copyValue(p, g);
            if (p.nextToken() != null) {
                return Optional.empty(); // more after the value: not one JSON document
            }
        } catch (IOException e) {
            return Optional.empty(); // not JSON: shown as text instead
        }
        return Optional.of(out.toString());
    }

    /** Copies the value at the parser's token, numbers as written. */
    private static void copyValue(JsonParser p, JsonGenerator g) throws IOException {
        int depth = 0;
        do {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                g.writeNumber(p.getText());
            } else {
                g.copyCurrentEvent(p);
            }
            if (t.isStructStart()) {
                depth++;
            } else if (t.isStructEnd()) {
                depth--;
            }
        } while (depth > 0 && p.nextToken() != null);
    }
}
