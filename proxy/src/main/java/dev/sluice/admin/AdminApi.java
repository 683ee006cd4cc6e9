package dev.sluice.admin;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.balance.Backend;
import dev.sluice.config.BackendConfig;
import dev.sluice.config.ConfigException;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.HostPort;
import dev.sluice.config.PoolConfig;
import dev.sluice.config.RouteConfig;
import dev.sluice.control.Change;
import dev.sluice.control.ChangeRejected;
import dev.sluice.control.ControlPlane;
import dev.sluice.metrics.ProxyMetrics;
import dev.sluice.route.Pool;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The admin listener's endpoints (docs/admin-api.md): the API over the {@link ControlPlane}, and
 * what the {@link ProxyMetrics} show — {@code /metrics} for Prometheus, {@code /api/stats} and the
 * {@code /dashboard} for people. {@link #action} matches a request to its endpoint; running the
 * action reads or changes the configuration. Reads only look at published snapshots and metrics;
 * changes block until they are durable, so callers run them off the event loop.
 */
final class AdminApi {

    /** One endpoint's work for one request. */
    @FunctionalInterface
    interface Action {
        Reply run() throws AdminError;
    }

    @FunctionalInterface
    private interface ControlCall {
        Change run() throws ChangeRejected;
    }

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final JsonMapper BODY_READER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    /** What problems in a PUT /api/routes body name as their source. */
    private static final String BODY = "request body";

    private final ControlPlane control;
    private final ProxyMetrics metrics;
    private final DashboardAssets dashboard;

    AdminApi(ControlPlane control, ProxyMetrics metrics, DashboardAssets dashboard) {
        this.control = control;
        this.metrics = metrics;
        this.dashboard = dashboard;
    }

    /**
     * The action {@code method} asks for on {@code uri}; nothing has run yet.
     *
     * @throws AdminError 404 for no such endpoint, 405 (with {@code Allow}) for a method it does not
     *     take, 400 for a path that cannot be decoded
     */
    Action action(String method, String uri, byte[] body) throws AdminError {
        List<String> path = AdminPath.segments(uri);
        Map<String, Action> methods = endpoint(path, uri, body);
        String shown = "/" + String.join("/", path);
        if (methods == null) {
            throw AdminError.notFound(shown);
        }
        Action action = methods.get(method);
        if (action == null) {
            throw AdminError.methodNotAllowed(method, shown, methods.keySet());
        }
        return action;
    }

    /** The actions of the endpoint at {@code path} by method, or {@code null} when there is none. */
    private Map<String, Action> endpoint(List<String> path, String uri, byte[] body) {
        if (path.equals(List.of("metrics"))) {
            return Map.of("GET", this::metrics);
        }
        if (path.getFirst().equals("dashboard")) {
            // /dashboard and /dashboard/ are the page; the files it loads are below it.
            boolean page = path.size() == 1 || path.equals(List.of("dashboard", ""));
            Reply file = dashboard.get(page ? DashboardAssets.INDEX : String.join("/", path.subList(1, path.size())));
            return file == null ? null : Map.of("GET", () -> file);
        }
        if (path.size() < 2 || !path.get(0).equals("api") || path.contains("")) {
            return null; // an empty segment ("/api/pools/") names nothing, not a pool called ""
        }
        if (path.size() == 2) {
            return switch (path.get(1)) {
                case "config" -> Map.of("GET", this::config);
                case "status" -> Map.of("GET", this::status);
                case "stats" -> Map.of("GET", () -> stats(uri));
                case "pools" -> Map.of("GET", this::pools);
                case "routes" -> Map.of("GET", this::routes, "PUT", () -> replaceRoutes(body));
                case "reload" -> Map.of("POST", this::reload);
                default -> null;
            };
        }
        if (!path.get(1).equals("pools")) {
            return null;
        }
        String pool = path.get(2);
        if (path.size() == 3) {
            return Map.of("GET", () -> pool(pool));
        }
        if (path.size() == 5 && path.get(3).equals("backends")) {
            String address = path.get(4);
            return Map.of("PUT", () -> putBackend(pool, address, body), "DELETE", () -> removeBackend(pool, address));
        }
        return null;
    }

    private Reply config() {
        ControlPlane.Snapshot now = control.snapshot();
        ObjectNode body = ConfigJson.config(now.effective());
        body.put("version", now.state().version()).put("route_table_version", now.table().version());
        return new Reply(200, body);
    }

    private Reply status() {
        ControlPlane.Snapshot now = control.snapshot();
        return new Reply(200, JSON.objectNode()
                .put("state_version", now.state().version())
                .put("route_table_version", now.table().version())
                .put("reload_failures", control.reloadFailures()));
    }

    /**
     * Every metric in the Prometheus text format. Built whole on the admin loop: every label set is
     * bounded (docs/metrics.md), so even a large scrape takes milliseconds.
     */
    private Reply metrics() {
        ByteArrayOutputStream text = new ByteArrayOutputStream(64 * 1024);
        try {
            metrics.writeText(text);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e); // a ByteArrayOutputStream does no I/O
        }
        return new Reply(200, ProxyMetrics.TEXT_CONTENT_TYPE, text.toByteArray(), Map.of());
    }

    /** The dashboard's feed: the seconds after {@code ?since=} (all kept when absent), and the pools now. */
    private Reply stats(String uri) throws AdminError {
        List<String> since = new QueryStringDecoder(uri).parameters().getOrDefault("since", List.of("0"));
        long after;
        try {
            after = Long.parseLong(since.getFirst());
        } catch (NumberFormatException e) {
            after = -1;
        }
        if (after < 0 || since.size() > 1) {
            throw new AdminError(400, "since: expected one time in epoch seconds (the \"time\" of the last second seen), got "
                    + String.join(", ", since));
        }
        return new Reply(200, StatsJson.stats(metrics.history(after), metrics.connections(), metrics.pools(),
                control.table().version()));
    }

    private Reply pools() {
        ObjectNode body = JSON.objectNode();
        ArrayNode list = body.putArray("pools");
        control.effective().pools().values().forEach(p -> list.addObject()
                .put("name", p.name())
                .put("balance", p.balance().configName())
                .put("backend_count", p.backends().size()));
        return new Reply(200, body);
    }

    private Reply pool(String name) throws AdminError {
        ControlPlane.Snapshot now = control.snapshot();
        PoolConfig p = now.effective().pools().get(PoolConfig.canonicalName(name));
        if (p == null) {
            throw new AdminError(404, "no pool named \"" + PoolConfig.canonicalName(name) + "\" (pools: "
                    + String.join(", ", now.effective().pools().keySet()) + ")");
        }
        ObjectNode body = JSON.objectNode().put("name", p.name()).put("balance", p.balance().configName());
        ArrayNode backends = body.putArray("backends");
        Pool live = now.table().pool(p.name());
        p.backends().forEach(b -> backends.add(ConfigJson.backend(b).put("state", state(live, b))));
        return new Reply(200, body);
    }

    /** up, down (active check), ejected (outlier detection), or unused (no route leads to its pool). */
    private static String state(Pool live, BackendConfig config) {
        if (live == null) {
            return "unused";
        }
        for (Backend b : live.balancer().backends()) {
            if (b.endpoint().port() == config.address().port()
                    && b.endpoint().host().equalsIgnoreCase(config.address().host())) {
                return b.state().configName();
            }
        }
        return "up";
    }

    private Reply putBackend(String pool, String address, byte[] body) throws AdminError {
        Integer weight = weight(body);
        long before = control.state().version();
        Change change = change(() -> control.putBackend(pool, address, weight));
        String status = change.status() == 201 ? "added" : change.version() == before ? "unchanged" : "updated";
        return backendReply(change.status(), status, pool, stored(pool, address), change.version());
    }

    private Reply removeBackend(String pool, String address) throws AdminError {
        BackendConfig removed = stored(pool, address); // looked up first: afterwards it is gone
        Change change = change(() -> control.removeBackend(pool, address));
        return backendReply(200, "removed", pool, removed, change.version());
    }

    private static Reply backendReply(int httpStatus, String status, String pool, BackendConfig backend, long version) {
        ObjectNode body = JSON.objectNode().put("status", status).put("pool", PoolConfig.canonicalName(pool));
        body.set("backend", ConfigJson.backend(backend));
        return new Reply(httpStatus, body.put("version", version));
    }

    /**
     * The backend at {@code address} in {@code pool} as the control plane keeps it, or {@code null}
     * when there is none (then the control plane's own checks say what is wrong).
     */
    private BackendConfig stored(String pool, String address) {
        PoolConfig p = control.effective().pools().get(PoolConfig.canonicalName(pool));
        HostPort wanted;
        try {
            wanted = HostPort.parse(address);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return p == null ? null : p.backends().stream()
                .filter(b -> b.address().port() == wanted.port() && b.address().host().equalsIgnoreCase(wanted.host()))
                .findFirst()
                .orElse(null);
    }

    private Reply routes() {
        return new Reply(200, ConfigJson.routes(control.effective().routes()));
    }

    private Reply replaceRoutes(byte[] body) throws AdminError {
        List<RouteConfig> routes;
        try {
            routes = ConfigLoader.parseRoutes(AdminPath.utf8(body, "the body"), BODY, control.effective().pools().keySet());
        } catch (ConfigException e) {
            throw AdminError.invalid("the routes were not replaced", e);
        }
        Change change = change(() -> control.replaceRoutes(routes));
        ObjectNode reply = JSON.objectNode().put("status", "replaced");
        reply.set("routes", ConfigJson.routes(routes));
        return new Reply(200, reply.put("version", change.version()));
    }

    private Reply reload() throws AdminError {
        try {
            Change change = control.reload();
            return new Reply(200, JSON.objectNode()
                    .put("status", "reloaded")
                    .put("version", change.version())
                    .put("route_table_version", control.table().version()));
        } catch (ChangeRejected e) {
            String refused = "reload refused, still running the previous config";
            if (e.getCause() instanceof ConfigException invalid) {
                throw AdminError.invalid(refused, invalid);
            }
            throw new AdminError(e.status(), refused + ": " + e.getMessage());
        }
    }

    private static Change change(ControlCall call) throws AdminError {
        try {
            return call.run();
        } catch (ChangeRejected e) {
            throw new AdminError(e.status(), e.getMessage());
        }
    }

    /** The weight in a backend's body: empty, or exactly {@code {"weight": N}}; {@code null} when not given. */
    private static Integer weight(byte[] body) throws AdminError {
        String text = AdminPath.utf8(body, "the body");
        if (text.isBlank()) {
            return null;
        }
        JsonNode json;
        try (JsonParser parser = BODY_READER.createParser(text)) {
            json = BODY_READER.readTree(parser);
            if (parser.nextToken() != null) {
                throw new AdminError(400, "more text after the JSON object in the body; send one object like {\"weight\": 2}");
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new AdminError(400, "cannot read the body as JSON"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")")
                    + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalStateException(e); // reading from a String does no I/O
        }
        if (!(json instanceof ObjectNode object)) {
            throw new AdminError(400, "the body must be a JSON object like {\"weight\": 2}, got " + json);
        }
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            if (!field.getKey().equals("weight")) {
                throw new AdminError(400, "unknown field \"" + field.getKey() + "\" in the body; the only field is \"weight\"");
            }
        }
        JsonNode weight = object.get("weight");
        if (weight == null) {
            return null;
        }
        if (!weight.isIntegralNumber() || !weight.canConvertToInt()) {
            throw new AdminError(400, "weight: expected a whole number 1-256, got " + weight);
        }
        return weight.intValue();
    }
}
