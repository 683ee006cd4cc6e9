package dev.sluice.admin;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** An answer of the admin API: the status, the JSON body, and headers such as {@code Allow}. */
record Reply(int status, JsonNode body, Map<String, String> headers) {

    private static final JsonMapper JSON = new JsonMapper();

    Reply {
        requireNonNull(body, "body");
        headers = Map.copyOf(headers);
    }

    Reply(int status, JsonNode body) {
        this(status, body, Map.of());
    }

    /** The body as UTF-8 JSON, one line and a newline, so that it reads well in a terminal after curl. */
    byte[] json() {
        try {
            return (JSON.writeValueAsString(body) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e); // trees always can
        }
    }
}
