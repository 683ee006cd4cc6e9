package dev.sluice.admin;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An answer of the admin listener: the status, the body and its content type, and headers such as
 * {@code Allow}. The API answers JSON; {@code /metrics} and the dashboard's files answer in their
 * own types.
 */
record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {

    static final String JSON_TYPE = "application/json";
    private static final JsonMapper JSON = new JsonMapper();

    Reply {
        requireNonNull(contentType, "contentType");
        requireNonNull(body, "body");
        headers = Map.copyOf(headers);
    }

    Reply(int status, JsonNode body) {
        this(status, body, Map.of());
    }

    /** A JSON answer: one line and a newline, so that it reads well in a terminal after curl. */
    Reply(int status, JsonNode body, Map<String, String> headers) {
        this(status, JSON_TYPE, json(body), headers);
    }

    /** The {@code error} of a JSON error answer, for the log; empty for any other answer. */
    String error() {
        if (!contentType.equals(JSON_TYPE)) {
            return "";
        }
        try {
            return JSON.readTree(body).path("error").asText();
        } catch (IOException e) {
            throw new IllegalStateException("an answer's own JSON could not be read", e); // it was written by json()
        }
    }

    private static byte[] json(JsonNode body) {
        requireNonNull(body, "body");
        try {
            return (JSON.writeValueAsString(body) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e); // trees always can
        }
    }
}
