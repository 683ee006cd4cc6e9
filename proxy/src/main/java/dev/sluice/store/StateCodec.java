package dev.sluice.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.config.BackendConfig;
import dev.sluice.config.HostPort;
import dev.sluice.config.RouteConfig;
import dev.sluice.config.DynamicState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The body of a state file: a {@link DynamicState} as one line of JSON, keys in the record's order,
 * pools by name:
 * <pre>{@code {"version":12,"pools":{"apps":[{"address":"127.0.0.1:9001","weight":1}]},"routes":null}}</pre>
 * Decoding is strict — every field present, no other, each of its type and range — and says where
 * it failed as a JSON path: a body that passed its checksum but does not decode was not written by
 * this code, and no part of it is believed.
 */
final class StateCodec {

    private static final int MAX_WEIGHT = 256; // as in the config file
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9_-]+");
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final ObjectMapper TREES = new ObjectMapper(JSON);

    private StateCodec() {}

    static byte[] encode(DynamicState state) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeNumberField("version", state.version());
            json.writeObjectFieldStart("pools");
            for (Map.Entry<String, List<BackendConfig>> pool : state.pools().entrySet()) {
                json.writeArrayFieldStart(pool.getKey());
                for (BackendConfig backend : pool.getValue()) {
                    json.writeStartObject();
                    json.writeStringField("address", backend.address().toString());
                    json.writeNumberField("weight", backend.weight());
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
            json.writeEndObject();
            json.writeFieldName("routes");
            if (state.routes() == null) {
                json.writeNull();
            } else {
                json.writeStartArray();
                for (RouteConfig route : state.routes()) {
                    json.writeStartObject();
                    json.writeStringField("host", route.host());
                    json.writeStringField("path", route.path());
                    json.writeStringField("pool", route.pool());
                    if (route.maxBody() > 0) {
                        json.writeNumberField("max_body", route.maxBody());
                    }
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e); // a ByteArrayOutputStream does not fail
        }
        out.write('\n'); // so that `cat` leaves the prompt on a line of its own
        return out.toByteArray();
    }

    /**
     * The state in {@code length} bytes of {@code bytes} from {@code offset}.
     *
     * @throws IOException saying what is wrong and where, like {@code $.pools.apps[1].weight: …}
     */
    static DynamicState decode(byte[] bytes, int offset, int length) throws IOException {
        JsonNode root;
        try (JsonParser parser = JSON.createParser(bytes, offset, length)) {
            root = TREES.readTree(parser);
            if (root == null) {
                root = MissingNode.getInstance(); // no content at all
            } else if (parser.nextToken() != null) {
                throw notJson(parser.currentLocation(), "more after the end of the state object");
            }
        } catch (JsonProcessingException e) {
            throw notJson(e.getLocation(), e.getOriginalMessage());
        }
        object(root, "$", Set.of("version", "pools", "routes"));
        long version = integer(root.get("version"), "$.version", 0, Long.MAX_VALUE);
        return new DynamicState(version, pools(root.get("pools")), routes(root.get("routes")));
    }

    private static Map<String, List<BackendConfig>> pools(JsonNode node) throws IOException {
        object(node, "$.pools", null);
        Map<String, List<BackendConfig>> pools = new TreeMap<>();
        for (Map.Entry<String, JsonNode> pool : node.properties()) {
            String path = member("$.pools", pool.getKey());
            if (pool.getKey().isEmpty()) {
                throw problem(path, "a pool name is empty");
            }
            array(pool.getValue(), path);
            List<BackendConfig> backends = new ArrayList<>();
            for (int i = 0; i < pool.getValue().size(); i++) {
                JsonNode backend = pool.getValue().get(i);
                String at = path + "[" + i + "]";
                object(backend, at, Set.of("address", "weight"));
                HostPort address;
                try {
                    address = HostPort.parse(text(backend.get("address"), at + ".address"));
                } catch (IllegalArgumentException e) {
                    throw problem(at + ".address", e.getMessage());
                }
                int weight = (int) integer(backend.get("weight"), at + ".weight", 1, MAX_WEIGHT);
                backends.add(new BackendConfig(address, weight));
            }
            pools.put(pool.getKey(), backends);
        }
        return pools;
    }

    /** The route list, or {@code null}: the file's routes are kept. */
    private static List<RouteConfig> routes(JsonNode node) throws IOException {
        if (node.isNull()) {
            return null;
        }
        array(node, "$.routes");
        List<RouteConfig> routes = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode route = node.get(i);
            String at = "$.routes[" + i + "]";
            object(route, at, null);
            ObjectNode fields = ((ObjectNode) route).deepCopy();
            JsonNode maxBody = fields.remove("max_body"); // the one optional field
            object(fields, at, Set.of("host", "path", "pool"));
            String host = route.get("host").isNull() ? null : text(route.get("host"), at + ".host");
            long max = maxBody == null ? 0 : integer(maxBody, at + ".max_body", 1, Long.MAX_VALUE);
            routes.add(new RouteConfig(host, text(route.get("path"), at + ".path"), text(route.get("pool"), at + ".pool"),
                    max));
        }
        return routes;
    }

    /** Checks that {@code node} is an object with exactly {@code fields}, or any fields when that is null. */
    private static void object(JsonNode node, String path, Set<String> fields) throws IOException {
        if (!node.isObject()) {
            throw expected(path, "an object", node);
        }
        if (fields == null) {
            return;
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String name = field.getKey();
            if (!fields.contains(name)) {
                throw problem(member(path, name), "unknown field (expected only " + String.join(", ", sorted(fields)) + ")");
            }
        }
        for (String name : sorted(fields)) {
            if (!node.has(name)) {
                throw problem(member(path, name), "missing");
            }
        }
    }

    private static void array(JsonNode node, String path) throws IOException {
        if (!node.isArray()) {
            throw expected(path, "an array", node);
        }
    }

    private static String text(JsonNode node, String path) throws IOException {
        if (!node.isTextual()) {
            throw expected(path, "a string", node);
        }
        return node.textValue();
    }

    private static long integer(JsonNode node, String path, long min, long max) throws IOException {
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < min || node.longValue() > max) {
            throw expected(path, "a whole number " + min + "-" + max, node);
        }
        return node.longValue();
    }

    private static List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }

    /** {@code $.pools.apps}, or {@code $.pools["a.b"]} when a dot or other sign would make it ambiguous. */
    private static String member(String path, String name) {
        return PLAIN_NAME.matcher(name).matches() ? path + "." + name
                : path + "[" + new TextNode(name) + "]"; // TextNode prints as a quoted JSON string
    }

    private static IOException notJson(JsonLocation at, String why) {
        return new IOException("not JSON" + (at == null ? "" : " (body line " + at.getLineNr() + ", column "
                + at.getColumnNr() + ")") + ": " + why);
    }

    private static IOException expected(String path, String what, JsonNode got) {
        String text = got.isMissingNode() ? "nothing" : got.toString();
        return problem(path, "expected " + what + ", got " + (text.length() > 40 ? text.substring(0, 40) + "…" : text));
    }

    private static IOException problem(String path, String message) {
        return new IOException(path + ": " + message);
    }
}
