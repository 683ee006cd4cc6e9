package dev.sluice.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.config.ConfigException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A request the admin API does not carry out: the status, what was wrong, and for a config that
 * does not validate, each problem with its line and key. Answered as
 * {@code {"error": "...", "problems": [{"line", "key", "message"}]}}.
 */
final class AdminError extends Exception {

    private final int status;
    private final List<ConfigException.Problem> problems;
    private final Map<String, String> headers;

    AdminError(int status, String message) {
        this(status, message, List.of(), Map.of());
    }

    private AdminError(int status, String message, List<ConfigException.Problem> problems, Map<String, String> headers) {
        super(message, null, false, false); // an answer, not a failure: no stack trace
        this.status = status;
        this.problems = List.copyOf(problems);
        this.headers = Map.copyOf(headers);
    }

    static AdminError notFound(String path) {
        return new AdminError(404, "no such endpoint: " + path + " (see docs/admin-api.md)");
    }

    static AdminError methodNotAllowed(String method, String path, Collection<String> allowed) {
        String allow = String.join(", ", new TreeSet<>(allowed));
        return new AdminError(405, path + " does not take " + method + "; it takes " + allow, List.of(),
                Map.of("allow", allow));
    }

    /** A 401 that tells the client to authenticate with a bearer token (RFC 6750 §3). */
    static AdminError unauthorized(String message, String challenge) {
        return new AdminError(401, message, List.of(), Map.of("www-authenticate", challenge));
    }

    /** Too many changes are waiting; the client should try again. */
    static AdminError busy(String message) {
        return new AdminError(503, message, List.of(), Map.of("retry-after", "1"));
    }

    /** A 400 for config text that does not validate: {@code what} happened, then each problem. */
    static AdminError invalid(String what, ConfigException e) {
        return new AdminError(400, what + ": " + e.getMessage().replace("\n", "; "), e.problems(), Map.of());
    }

    Reply reply() {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("error", getMessage());
        if (!problems.isEmpty()) {
            ArrayNode list = body.putArray("problems");
            problems.forEach(p -> list.addObject().put("line", p.line()).put("key", p.keyPath()).put("message", p.message()));
        }
        return new Reply(status, body, headers);
    }
}
