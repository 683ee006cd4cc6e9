package dev.sluice.config;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Loads the YAML config file (docs/config.md) into a validated {@link Config}: the first step of
 * the control plane, before the config is compiled into a route table and swapped in.
 */
public final class ConfigLoader {

    private ConfigLoader() {}

    /**
     * Reads and validates {@code file}; problems name the file as given.
     *
     * @throws ConfigException listing every problem, or saying why the file cannot be read
     */
    public static Config load(Path file) throws ConfigException {
        requireNonNull(file, "file");
        String yaml;
        try {
            yaml = Files.readString(file);
        } catch (IOException e) {
            throw ConfigException.unreadable(file, "", "the config", e);
        }
        return resolvePaths(parse(yaml, file.toString()), file.toAbsolutePath().getParent());
    }

    /**
     * Relative paths in a config file are relative to the file's directory, so that a config means the
     * same wherever it is started from; {@code state_dir} defaults to {@code sluice-state} there.
     */
    private static Config resolvePaths(Config config, Path dir) {
        AdminSettings a = config.admin();
        Path stateDir = a.stateDir() == null ? Path.of(AdminSettings.DEFAULT_STATE_DIR) : a.stateDir();
        AccessLogSettings log = config.accessLog();
        return config.with(new AdminSettings(a.listen(),
                a.tokenFile() == null ? null : dir.resolve(a.tokenFile()), dir.resolve(stateDir)))
                .with(log.file() == null ? log : log.withFile(dir.resolve(log.file())));
    }

    /**
     * Parses and validates {@code yaml}. {@code sourceName} names it in problems, like a file name.
     *
     * @throws ConfigException listing every problem found; after a YAML syntax error, nothing more
     *     is checked
     */
    public static Config parse(String yaml, String sourceName) throws ConfigException {
        requireNonNull(yaml, "yaml");
        requireNonNull(sourceName, "sourceName");
        Problems problems = new Problems(sourceName);
        // Editors on Windows may start the file with a byte order mark; it is not part of the YAML.
        ConfigNode root = ConfigNodeParser.parse(yaml.startsWith("\uFEFF") ? yaml.substring(1) : yaml, problems);
        if (root == null) {
            throw problems.exception();
        }
        return ConfigBinder.bind(root, problems);
    }

    /**
     * Parses and validates a route list sent as JSON (the admin API's {@code PUT /api/routes}): a list
     * of {@code {"host", "path", "pool"}} read by the same rules as a config file's {@code routes}.
     * Problems name {@code sourceName} and say where in the text they are; key paths start at
     * {@code routes}, as they would in a file.
     *
     * @param pools the canonical names of the pools the routes may name
     * @throws ConfigException listing every problem found
     */
    public static List<RouteConfig> parseRoutes(String json, String sourceName, Set<String> pools) throws ConfigException {
        requireNonNull(json, "json");
        requireNonNull(sourceName, "sourceName");
        requireNonNull(pools, "pools");
        Problems problems = new Problems(sourceName);
        ConfigNode root = ConfigNodeParser.parseJson(json, "routes", "a JSON list of routes", problems);
        if (root == null) {
            throw problems.exception();
        }
        return ConfigBinder.bindRoutes(root, pools, problems);
    }
}
