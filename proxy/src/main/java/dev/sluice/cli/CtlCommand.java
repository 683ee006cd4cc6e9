package dev.sluice.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.sluice.admin.AdminToken;
import dev.sluice.config.AdminSettings;
import dev.sluice.config.Config;
import dev.sluice.config.ConfigException;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.HostPort;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code sluice ctl}: the admin API of a running proxy from the command line. Reads print the
 * server's JSON (routes as YAML, which {@code set-routes} takes back); changes print one line.
 * Exit 0 when the server did it, 1 when it refused (its error is printed), 2 on a usage error,
 * 3 when the admin API cannot be reached.
 */
@Command(name = "ctl", mixinStandardHelpOptions = true,
        description = "Look at and change a running proxy through its admin API.",
        footer = {"",
            "The admin API's address: --admin, else $SLUICE_ADMIN, else the config's admin.",
            "The token for changes: --token, else $SLUICE_ADMIN_TOKEN, else the config's",
            "admin_token_file.",
            "Exit status: 0 done, 1 refused by the proxy, 2 usage error, 3 unreachable.",
            "Reference: docs/admin-api.md."})
final class CtlCommand implements Callable<Integer> {

    static final int REFUSED = 1;
    static final int USAGE = 2;
    static final int UNREACHABLE = 3;

    static final String ADMIN_ENV = "SLUICE_ADMIN";

    private static final ObjectMapper JSON = new JsonMapper();
    // Read route files as the config is read (YAML 1.2: "on" and "no" stay strings); print them plainly.
    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build());

    @Spec
    CommandSpec spec;

    @Option(names = "--admin", paramLabel = "HOST:PORT", scope = ScopeType.INHERIT,
            description = "the admin API's address, or a port on 127.0.0.1")
    String admin;

    @Option(names = "--token", paramLabel = "TOKEN", scope = ScopeType.INHERIT,
            description = "the bearer token that changes need")
    String token;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "the running proxy's config file: its admin address and token file")
    Path config;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "print the server's JSON answer, also for changes")
    boolean json;

    /** A usage problem found after parsing: no admin address, an unreadable file. */
    private static final class UsageError extends Exception {
        UsageError(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return USAGE;
    }

    @Command(name = "pools", description = "List the pools: balance and number of backends.")
    int pools() {
        return send("GET", "/api/pools", null, CtlCommand::pretty);
    }

    @Command(name = "pool", description = "Show a pool and its backends.")
    int pool(@Parameters(paramLabel = "NAME") String name) {
        return send("GET", "/api/pools/" + AdminClient.segment(name), null, CtlCommand::pretty);
    }

    @Command(name = "add", description = "Add a backend to a pool, or set the weight of one it has.")
    int add(@Parameters(paramLabel = "POOL") String pool, @Parameters(paramLabel = "HOST:PORT") String address,
            @Option(names = "--weight", paramLabel = "N", description = "1-256; default 1, or the weight it has") Integer weight) {
        String body = weight == null ? null : JsonNodeFactory.instance.objectNode().put("weight", weight).toString();
        return send("PUT", backendPath(pool, address), body, a -> switch (a.path("status").asText()) {
            case "unchanged" -> "unchanged: " + backend(a) + " is in pool " + a.path("pool").asText();
            case "added" -> "added " + backend(a) + " to pool " + a.path("pool").asText() + version(a);
            default -> "updated " + backend(a) + " in pool " + a.path("pool").asText() + version(a);
        });
    }

    @Command(name = "remove", description = "Remove a backend from a pool; requests in flight on it finish.")
    int remove(@Parameters(paramLabel = "POOL") String pool, @Parameters(paramLabel = "HOST:PORT") String address) {
        return send("DELETE", backendPath(pool, address), null, a -> "removed " + a.path("backend").path("address").asText()
                + " from pool " + a.path("pool").asText() + "; it drains" + version(a));
    }

    @Command(name = "routes", description = "Show the routes, as YAML that set-routes takes back.")
    int routes() {
        return send("GET", "/api/routes", null, a -> yaml(JsonNodeFactory.instance.objectNode().set("routes", a)));
    }

    @Command(name = "set-routes", description = "Replace all routes with those in FILE (YAML or JSON: a list of routes,"
            + " or a mapping with routes, like a config file).")
    int setRoutes(@Parameters(paramLabel = "FILE") Path file) {
        String routes;
        try {
            routes = routesJson(file);
        } catch (UsageError e) {
            return usage(e);
        }
        return send("PUT", "/api/routes", routes, a -> "replaced the routes (" + a.path("routes").size() + ")" + version(a));
    }

    @Command(name = "reload", description = "Read the config file again and apply it; an invalid file changes nothing.")
    int reload() {
        return send("POST", "/api/reload", null, a -> "reloaded; route table version "
                + a.path("route_table_version").asLong());
    }

    @Command(name = "status", description = "Show the state and route table versions and the reload failures.")
    int status() {
        return send("GET", "/api/status", null, CtlCommand::pretty);
    }

    /** Sends the request and prints the answer: {@code human} makes the line for a success. */
    private int send(String method, String path, String body, Function<JsonNode, String> human) {
        AdminClient client;
        try {
            client = client(!method.equals("GET"));
        } catch (UsageError e) {
            return usage(e);
        }
        AdminClient.Answer answer;
        try {
            answer = client.send(method, path, body);
        } catch (IOException e) {
            System.err.println("sluice ctl: cannot reach the admin API at " + client.base() + ": " + why(e)
                    + " (is the proxy running, with admin set in its config?)");
            return UNREACHABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return UNREACHABLE;
        }
        if (answer.json() == null) {
            (answer.ok() ? System.out : System.err).println(answer.text());
            return answer.ok() ? 0 : REFUSED;
        }
        if (!answer.ok()) {
            System.err.println("sluice ctl: " + answer.json().path("error").asText(answer.text())
                    + " (HTTP " + answer.status() + ")");
            return REFUSED;
        }
        System.out.println(json ? pretty(answer.json()) : human.apply(answer.json()));
        return 0;
    }

    private static int usage(UsageError e) {
        System.err.println("sluice ctl: " + e.getMessage());
        return USAGE;
    }

    /** The client for the admin address and, for changes, the token: flags, else environment, else config. */
    private AdminClient client(boolean changes) throws UsageError {
        Map<String, String> env = System.getenv();
        HostPort address;
        if (admin != null) {
            address = address(admin, "--admin");
        } else if (!env.getOrDefault(ADMIN_ENV, "").isBlank()) {
            address = address(env.get(ADMIN_ENV), ADMIN_ENV);
        } else if (config != null) {
            address = addressIn(loadConfig());
        } else {
            throw new UsageError("where is the admin API? Pass --admin HOST:PORT, set " + ADMIN_ENV
                    + ", or pass --config FILE of the running proxy");
        }
        String bearer = null;
        if (changes) {
            if (token != null) {
                bearer = token;
            } else if (!env.getOrDefault(AdminToken.ENV, "").isBlank()) {
                bearer = env.get(AdminToken.ENV).strip();
            } else if (config != null) {
                try {
                    bearer = AdminToken.resolve(new AdminSettings(null, loadConfig().admin().tokenFile(), null), Map.of())
                            .orElse(null);
                } catch (ConfigException e) {
                    throw new UsageError(e.getMessage());
                }
            }
        }
        return new AdminClient(URI.create("http://" + address + "/"), bearer);
    }

    /** {@code HOST:PORT}, or a port alone for 127.0.0.1. */
    private static HostPort address(String text, String from) throws UsageError {
        String s = text.strip();
        try {
            return HostPort.parse(s.chars().allMatch(Character::isDigit) ? "127.0.0.1:" + s : s);
        } catch (IllegalArgumentException e) {
            throw new UsageError(from + ": " + e.getMessage() + " (HOST:PORT, or a port on 127.0.0.1)");
        }
    }

    private HostPort addressIn(Config c) throws UsageError {
        HostPort listen = c.admin().listen();
        if (listen == null) {
            throw new UsageError(config + " has no admin listener (admin: HOST:PORT); pass --admin HOST:PORT");
        }
        if (listen.port() == 0) {
            throw new UsageError(config + " lets the admin API take any free port (admin: ...:0), so its address is"
                    + " not known here; pass --admin HOST:PORT");
        }
        // A listener on every address is reached on loopback.
        return switch (listen.host()) {
            case "0.0.0.0" -> new HostPort("127.0.0.1", listen.port());
            case "::" -> new HostPort("::1", listen.port());
            default -> listen;
        };
    }

    private Config loadConfig() throws UsageError {
        try {
            return ConfigLoader.load(config);
        } catch (ConfigException e) {
            throw new UsageError("cannot take the admin address from " + config + ", it is invalid (or pass --admin):\n"
                    + e.getMessage());
        }
    }

    /** The routes in {@code file} as the JSON list the admin API takes. */
    private static String routesJson(Path file) throws UsageError {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            throw new UsageError(file + ": " + e.getOriginalMessage().strip().replaceAll("\\s*\\n\\s*", " "));
        } catch (IOException e) {
            throw new UsageError(ConfigException.unreadable(file, "", "the routes", e).getMessage());
        }
        JsonNode routes = root != null && root.isObject() ? root.get("routes") : root;
        if (routes == null || !routes.isArray()) {
            throw new UsageError(file + ": expected a list of routes, or a mapping with routes: [...]");
        }
        return routes.toString();
    }

    private static String backendPath(String pool, String address) {
        return "/api/pools/" + AdminClient.segment(pool) + "/backends/" + AdminClient.segment(address);
    }

    private static String backend(JsonNode answer) {
        JsonNode b = answer.path("backend");
        return b.path("address").asText() + " (weight " + b.path("weight").asInt() + ")";
    }

    private static String version(JsonNode answer) {
        return "; state version " + answer.path("version").asLong();
    }

    private static String why(IOException e) {
        return switch (e) {
            case ConnectException x -> "connection refused";
            case HttpConnectTimeoutException x -> "no answer to connect within 5 seconds";
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
    }

    private static String pretty(JsonNode node) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // a tree can always be written
        }
    }

    private static String yaml(JsonNode node) {
        try {
            return YAML.writeValueAsString(node).stripTrailing();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
