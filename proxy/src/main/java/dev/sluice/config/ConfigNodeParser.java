package dev.sluice.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.sluice.config.ConfigNode.Entry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Turns YAML text (or strict JSON, for the admin API) into a {@link ConfigNode} tree, reading
 * Jackson's streaming parser token by token so that every node keeps its line. Reports duplicate
 * keys and syntax errors.
 */
final class ConfigNodeParser {

    static final String EMPTY = "the config is empty; see docs/config.md";

    // YAML 1.2 reading: only true/false are booleans ("on", "no", "y" stay strings), and an empty
    // plain value is null while "" stays an empty string.
    private static final YAMLFactory YAML = YAMLFactory.builder()
            .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
            .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
            .build();
    private static final JsonFactory JSON = new JsonFactory();

    private final JsonParser parser;
    private final Problems problems;

    private ConfigNodeParser(JsonParser parser, Problems problems) {
        this.parser = parser;
        this.problems = problems;
    }

    /**
     * The root node of {@code yaml}, or {@code null} when there is none to read: the document is
     * empty or not valid YAML. Either way the reason is in {@code problems}.
     */
    static ConfigNode parse(String yaml, Problems problems) {
        try (YAMLParser parser = YAML.createParser(yaml)) {
            return root(parser, "", EMPTY, "a second YAML document starts here; the config is one document", problems);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading from a String does no I/O
        }
    }

    /**
     * The root node of {@code json}, which must be strict JSON (no YAML forms), or {@code null}
     * after reporting why there is none. {@code rootPath} is the root's key path in problems,
     * {@code what} says what the text should hold.
     */
    static ConfigNode parseJson(String json, String rootPath, String what, Problems problems) {
        try (JsonParser parser = JSON.createParser(json)) {
            return root(parser, rootPath, "nothing to read; expected " + what,
                    "more text after the JSON value; expected " + what, problems);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ConfigNode root(JsonParser parser, String rootPath, String empty, String extra, Problems problems)
            throws IOException {
        try {
            if (parser.nextToken() == null) {
                problems.add(0, "", empty);
                return null;
            }
            ConfigNode root = new ConfigNodeParser(parser, problems).node(rootPath);
            if (root instanceof ConfigNode.Null) {
                problems.add(0, "", empty);
                return null;
            }
            if (parser.nextToken() != null) {
                problems.add(line(parser), "", extra);
            }
            return root;
        } catch (JsonProcessingException e) {
            syntaxError(e, parser instanceof YAMLParser, problems);
            return null;
        }
    }

    /** Reads the node at the current token and leaves the parser on its last token. */
    private ConfigNode node(String path) throws IOException {
        int line = line(parser);
        JsonToken token = parser.currentToken();
        return switch (token) {
            case START_OBJECT -> mapping(path, line);
            case START_ARRAY -> sequence(path, line);
            case VALUE_NULL -> new ConfigNode.Null(line);
            case VALUE_STRING -> {
                if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
                    // Jackson does not expand aliases; it would hand us the anchor's name instead.
                    throw new JsonParseException(parser, "YAML aliases (*" + parser.getText()
                            + ") are not supported; write the value out");
                }
                yield new ConfigNode.Scalar(line, parser.getText(), parser.getText());
            }
            case VALUE_NUMBER_INT -> new ConfigNode.Scalar(line, parser.getText(), parser.getBigIntegerValue());
            case VALUE_NUMBER_FLOAT -> new ConfigNode.Scalar(line, parser.getText(), decimal());
            case VALUE_TRUE, VALUE_FALSE -> new ConfigNode.Scalar(line, parser.getText(), token == JsonToken.VALUE_TRUE);
            default -> throw new JsonParseException(parser, "unexpected YAML token " + token);
        };
    }

    private ConfigNode mapping(String path, int line) throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            int keyLine = line(parser);
            String keyPath = path.isEmpty() ? key : path + "." + key;
            parser.nextToken();
            ConfigNode value = node(keyPath);
            Entry first = entries.putIfAbsent(key, new Entry(key, keyLine, value));
            if (first != null) {
                problems.add(keyLine, keyPath, "duplicate key; first set at line " + first.line());
            }
        }
        return new ConfigNode.Mapping(line, entries);
    }

    private ConfigNode sequence(String path, int line) throws IOException {
        List<ConfigNode> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            items.add(node(path + "[" + items.size() + "]"));
        }
        return new ConfigNode.Sequence(line, items);
    }

    /** The scalar's double value, or its text for YAML's .inf and .nan, which Jackson cannot read. */
    private Object decimal() throws IOException {
        try {
            return parser.getDoubleValue();
        } catch (JsonParseException e) {
            return parser.getText();
        }
    }

    private static int line(JsonParser parser) {
        return parser.currentTokenLocation().getLineNr();
    }

    private static void syntaxError(JsonProcessingException e, boolean yamlInput, Problems problems) {
        // SnakeYAML knows where the problem is better than Jackson's wrapper: Jackson reports the
        // last good token, SnakeYAML the offending character.
        if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
            Mark context = yaml.getContextMark();
            String where = yaml.getContext() == null ? ""
                    : " (" + oneLine(yaml.getContext()) + (context == null ? "" : " at line " + (context.getLine() + 1)) + ")";
            problems.add(yaml.getProblemMark().getLine() + 1, "", "YAML syntax error: " + oneLine(yaml.getProblem()) + where);
        } else {
            JsonLocation at = e.getLocation();
            // JSON often comes on one line, so the column is what finds the mistake.
            String where = yamlInput || at == null ? "" : "JSON syntax error at column " + at.getColumnNr() + ": ";
            problems.add(at == null ? 0 : Math.max(at.getLineNr(), 0), "", where + oneLine(e.getOriginalMessage()));
        }
    }

    private static String oneLine(String text) {
        return text.strip().replaceAll("\\s*\\n\\s*", " ");
    }
}
