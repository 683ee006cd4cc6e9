package dev.sluice.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small Chrome DevTools Protocol client over {@link java.net.http.WebSocket}, for tests that drive
 * a real headless browser ({@link Chromium}). Commands wait for their answer; events are kept, up to
 * {@value #MAX_EVENTS}, for the test to look through.
 * <pre>{@code
 * try (Cdp cdp = Cdp.connect(chromium.browserWebSocket())) {
 *     String session = cdp.newPage();
 *     cdp.send(session, "Page.navigate", cdp.params().put("url", url));
 * }
 * }</pre>
 */
public final class Cdp implements AutoCloseable {

    private static final JsonMapper JSON = new JsonMapper();
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(30);
    private static final int MAX_EVENTS = 10_000;

    /** One event: its method, its params, and the session it came from ({@code null}: the browser's). */
    public record Event(String method, JsonNode params, String sessionId) {}

    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> waiting = new ConcurrentHashMap<>();
    private final List<Event> events = new ArrayList<>();
    private WebSocket socket;

    private Cdp() {}

    /** Connects to {@code ws://…/devtools/browser/…}. */
    public static Cdp connect(URI browser) {
        Cdp cdp = new Cdp();
        cdp.socket = cdp.http.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(browser, cdp.new Listener())
                .join();
        return cdp;
    }

    public ObjectNode params() {
        return JSON.createObjectNode();
    }

    /** Opens a blank page and attaches to it; returns the session to send the page's commands in. */
    public String newPage() {
        String target = send(null, "Target.createTarget", params().put("url", "about:blank")).path("targetId").asText();
        return send(null, "Target.attachToTarget", params().put("targetId", target).put("flatten", true))
                .path("sessionId").asText();
    }

    /**
     * Sends {@code method} with {@code params} in {@code sessionId} ({@code null}: to the browser)
     * and returns its result.
     *
     * @throws IllegalStateException when the browser answers an error, or nothing in time
     */
    public JsonNode send(String sessionId, String method, ObjectNode params) {
        int id = ids.incrementAndGet();
        ObjectNode message = params().put("id", id).put("method", method);
        message.set("params", params);
        if (sessionId != null) {
            message.put("sessionId", sessionId);
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        waiting.put(id, answer);
        socket.sendText(message.toString(), true).join();
        JsonNode reply;
        try {
            reply = answer.get(ANSWER_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + ": interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(method + ": no answer from the browser within " + ANSWER_WITHIN, e);
        } finally {
            waiting.remove(id);
        }
        if (reply.has("error")) {
            throw new IllegalStateException(method + " failed: " + reply.get("error"));
        }
        return reply.path("result");
    }

    /** The value of {@code expression} evaluated in the page (awaiting a promise). */
    public JsonNode evaluate(String sessionId, String expression) {
        JsonNode result = send(sessionId, "Runtime.evaluate",
                params().put("expression", expression).put("returnByValue", true).put("awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("evaluating " + expression + " threw: " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /** The events received so far. */
    public List<Event> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
        http.close();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                receive(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        private void receive(String text) {
            JsonNode message;
            try {
                message = JSON.readTree(text);
            } catch (IOException e) {
                throw new UncheckedIOException("the browser sent something that is not JSON: " + text, e);
            }
            if (message.has("id")) {
                CompletableFuture<JsonNode> answer = waiting.get(message.get("id").asInt());
                if (answer != null) {
                    answer.complete(message);
                }
                return;
            }
            synchronized (events) {
                if (events.size() < MAX_EVENTS) {
                    events.add(new Event(message.path("method").asText(), message.path("params"),
                            message.has("sessionId") ? message.get("sessionId").asText() : null));
                }
            }
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            waiting.values().forEach(answer -> answer.completeExceptionally(error));
        }
    }
}
