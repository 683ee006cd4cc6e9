package dev.sluice.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Sends one request to a proxy's admin API (docs/admin-api.md) for {@code sluice ctl}. */
final class AdminClient {

    private static final JsonMapper JSON = new JsonMapper();

    private final URI base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** An answer: the status and the JSON body ({@code null} when the body is not JSON). */
    record Answer(int status, JsonNode json, String text) {
        boolean ok() {
            return status / 100 == 2;
        }
    }

    /** @param token the bearer token, or {@code null} to send none */
    AdminClient(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    URI base() {
        return base;
    }

    /**
     * Sends {@code method path} with {@code jsonBody} (none for {@code null}).
     *
     * @throws IOException when the admin API cannot be reached or the connection fails
     */
    Answer send(String method, String path, String jsonBody) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(60)) // a change may wait for other changes and for DNS
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (jsonBody != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json;
        try {
            json = JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            json = null; // not the admin API answering, or not as expected: the text is shown as it is
        }
        return new Answer(response.statusCode(), json, response.body());
    }

    /** {@code text} as one path segment: a pool name or a backend address, percent-encoded. */
    static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
