package dev.sluice.config;

import static dev.sluice.config.NodeReader.item;
import static dev.sluice.config.NodeReader.key;
import static dev.sluice.config.NodeReader.optional;

import dev.sluice.balance.Balance;
import dev.sluice.config.ConfigNode.Mapping;
import dev.sluice.config.ConfigNode.Sequence;
import dev.sluice.codec.HostKey;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@link ConfigNode} tree into a {@link Config}: the config's schema, its defaults and its
 * cross-checks (duplicate pools and backends, routes to pools that do not exist).
 */
final class ConfigBinder {

    private static final List<String> TOP_KEYS =
            List.of("listen", "transport", "threads", "shutdown_timeout", "upstream", "pools", "routes",
                    "admin", "admin_token_file", "state_dir", "timeouts", "limits", "access_log");
    private static final List<String> CLIENT_TIMEOUT_KEYS = List.of("header", "keep_alive", "body", "write");
    private static final List<String> CLIENT_LIMIT_KEYS = List.of("max_connections", "max_connections_per_ip",
            "rate_per_ip", "burst", "overload");
    private static final List<String> OVERLOAD_KEYS = List.of("memory_high", "memory_low", "fds_high", "fds_low");
    private static final List<String> UPSTREAM_KEYS = List.of("connect_timeout", "idle_timeout", "max_idle_per_backend");
    private static final List<String> POOL_KEYS = List.of("balance", "hash_epsilon", "backends", "health_check",
            "outlier_detection", "timeouts", "retries", "limits");
    private static final List<String> HEALTH_KEYS = List.of("method", "path", "host", "expect", "interval", "timeout",
            "rise", "fall", "jitter_percent");
    private static final List<String> OUTLIER_KEYS = List.of("consecutive_failures", "base_ejection_time",
            "max_ejection_time", "max_ejection_percent");
    private static final List<String> TIMEOUT_KEYS = List.of("connect", "response", "idle", "total");
    private static final List<String> RETRY_KEYS = List.of("attempts", "budget_percent", "min_retries");
    private static final List<String> LIMIT_KEYS = List.of("max_connections", "max_requests");
    private static final List<String> CHECK_METHODS = List.of("GET", "HEAD", "OPTIONS");
    private static final Pattern STATUS_RANGE = Pattern.compile("([1-5][0-9][0-9])(?:-([1-5][0-9][0-9]))?");
    private static final List<String> BACKEND_KEYS = List.of("address", "weight");
    private static final List<String> ROUTE_KEYS = List.of("host", "path", "pool", "max_body");
    private static final Pattern SIZE = Pattern.compile("([0-9]{1,12})([kmg]?)");
    private static final List<String> ACCESS_LOG_KEYS = List.of("path", "format", "syslog", "queue");
    private static final List<String> ACCESS_LOG_FORMATS =
            Arrays.stream(AccessLogSettings.Format.values()).map(AccessLogSettings.Format::configName).toList();
    private static final String SYSLOG_FORMS = "udp://host:port, tcp://host:port or unix:///path/of/socket";
    private static final Pattern SYSLOG_URL = Pattern.compile("(udp|tcp|unix)://(.*)");
    /** A unix socket address holds at most 108 bytes, the last a NUL (unix(7)). */
    private static final int MAX_UNIX_PATH_BYTES = 107;

    private static final List<String> TRANSPORTS =
            Arrays.stream(TransportChoice.values()).map(TransportChoice::configName).toList();
    private static final List<String> BALANCES = Arrays.stream(Balance.values()).map(Balance::configName).toList();

    private static final int MAX_THREADS = 1024;
    private static final int MAX_IDLE_PER_BACKEND = 10_000;
    private static final int MAX_WEIGHT = 256;
    private static final int MAX_POOL_NAME = 64;
    private static final Pattern POOL_NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0," + (MAX_POOL_NAME - 1) + "}");

    private final Problems problems;
    private final NodeReader read;
    /** Every pool name given, valid or not, and its line: routes are checked against all of them. */
    private final Map<String, Integer> poolLines = new LinkedHashMap<>();
    /** False when {@code pools} is missing or not a mapping: then routes cannot be checked against it. */
    private boolean poolsRead;

    private ConfigBinder(Problems problems) {
        this.problems = problems;
        this.read = new NodeReader(problems);
    }

    static Config bind(ConfigNode root, Problems problems) throws ConfigException {
        return new ConfigBinder(problems).config(root);
    }

    /**
     * Reads a route list alone, by the same rules as a config's {@code routes}; {@code pools} (canonical
     * names) are the pools its routes may name.
     */
    static List<RouteConfig> bindRoutes(ConfigNode node, Set<String> pools, Problems problems) throws ConfigException {
        ConfigBinder binder = new ConfigBinder(problems);
        pools.forEach(name -> binder.poolLines.put(name, 0));
        binder.poolsRead = true;
        List<RouteConfig> routes = binder.routes(node);
        problems.throwIfAny();
        return routes;
    }

    private Config config(ConfigNode root) throws ConfigException {
        Mapping top = read.mapping(root, "", "a mapping of settings (listen, pools, routes, ...)");
        if (top == null) {
            throw problems.exception();
        }
        read.knownKeysOnly(top, "", TOP_KEYS);
        HostPort listen = read.address(
                read.required(top, "listen", 0, "", "host:port, e.g. 127.0.0.1:8080"), "listen", "host:port",
                HostPort::parseListen);
        TransportChoice transport = read.choice(optional(top, "transport"), "transport",
                TransportChoice::fromConfigName, TRANSPORTS, TransportChoice.AUTO);
        int threads = read.integer(optional(top, "threads"), "threads", 0, MAX_THREADS, 0);
        Duration shutdownTimeout = read.duration(optional(top, "shutdown_timeout"), "shutdown_timeout", false,
                Config.DEFAULT_SHUTDOWN_TIMEOUT);
        UpstreamSettings upstream = upstream(optional(top, "upstream"));
        Map<String, PoolConfig> pools = pools(read.required(top, "pools", 0, "", "a mapping of pool names to pools"));
        List<RouteConfig> routes = routes(optional(top, "routes"));
        AdminSettings admin = admin(top);
        FrontDoor front = new FrontDoor(clientTimeouts(optional(top, "timeouts")), clientLimits(optional(top, "limits")));
        AccessLogSettings accessLog = accessLog(optional(top, "access_log"));
        problems.throwIfAny();
        return new Config(listen, transport, threads, shutdownTimeout, upstream, pools, routes, admin, front, accessLog);
    }

    private AdminSettings admin(Mapping top) {
        ConfigNode listenNode = optional(top, "admin");
        HostPort listen = null;
        if (listenNode instanceof ConfigNode.Scalar s && s.value() instanceof BigInteger) {
            // "admin: 9901" listens on loopback: the admin API is never exposed by accident
            listen = read.address(listenNode, "admin", "host:port or a port", t -> HostPort.parseListen("127.0.0.1:" + t));
        } else if (listenNode != null && !(listenNode instanceof ConfigNode.Null)) {
            listen = read.address(listenNode, "admin", "host:port or a port", HostPort::parseListen);
        }
        return new AdminSettings(listen, path(optional(top, "admin_token_file"), "admin_token_file"),
                path(optional(top, "state_dir"), "state_dir"));
    }

    private Path path(ConfigNode node, String key) {
        String text = read.text(node, key, "a file system path");
        return text == null ? null : pathOf(text, node.line(), key);
    }

    private Path pathOf(String text, int line, String key) {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            read.problem(line, key, "\"" + text + "\" is not a path: " + e.getReason());
            return null;
        }
    }

    private AccessLogSettings accessLog(ConfigNode node) {
        Mapping m = section(node, "access_log", ACCESS_LOG_KEYS);
        if (m == null) {
            return AccessLogSettings.NONE;
        }
        ConfigNode pathNode = optional(m, "path");
        boolean stdout = pathNode instanceof ConfigNode.Scalar s && s.text().equals("stdout");
        Path file = stdout ? null : path(pathNode, "access_log.path");
        if (file != null && file.toString().isEmpty()) {
            file = read.expected(pathNode, "access_log.path", "a file path or stdout");
        }
        ConfigNode syslogNode = optional(m, "syslog");
        AccessLogSettings.Syslog syslog = syslog(syslogNode, "access_log.syslog");
        AccessLogSettings.Format format = read.choice(optional(m, "format"), "access_log.format",
                AccessLogSettings.Format::fromConfigName, ACCESS_LOG_FORMATS, AccessLogSettings.Format.JSON);
        int queue = read.integer(optional(m, "queue"), "access_log.queue", 1, AccessLogSettings.MAX_QUEUE,
                AccessLogSettings.DEFAULT_QUEUE);
        if (pathNode == null && syslogNode == null) {
            read.problem(m.line(), "access_log", "expected path, syslog or both: without them the log goes nowhere"
                    + " (leave access_log out for no access log)");
        }
        return new AccessLogSettings(file, stdout, syslog, format, queue);
    }

    /** {@code udp://host:port}, {@code tcp://host:port} or {@code unix:///dev/log}; absent: {@code null}. */
    private AccessLogSettings.Syslog syslog(ConfigNode node, String path) {
        String text = read.text(node, path, SYSLOG_FORMS);
        if (text == null) {
            return null;
        }
        Matcher url = SYSLOG_URL.matcher(text);
        if (!url.matches()) {
            return read.expected(node, path, SYSLOG_FORMS);
        }
        String rest = url.group(2);
        if (!url.group(1).equals("unix")) {
            HostPort address = read.address(node, path, SYSLOG_FORMS, t -> HostPort.parse(rest));
            if (address == null) {
                return null;
            }
            return url.group(1).equals("udp") ? new AccessLogSettings.Syslog.Udp(address)
                    : new AccessLogSettings.Syslog.Tcp(address);
        }
        if (!rest.startsWith("/")) {
            read.problem(node.line(), path, "\"" + text + "\" needs an absolute path after unix://, e.g. unix:///dev/log");
            return null;
        }
        if (rest.getBytes(StandardCharsets.UTF_8).length > MAX_UNIX_PATH_BYTES) {
            read.problem(node.line(), path, "\"" + rest + "\" is longer than " + MAX_UNIX_PATH_BYTES
                    + " bytes, the most a unix socket address holds");
            return null;
        }
        Path socket = pathOf(rest, node.line(), path);
        return socket == null ? null : new AccessLogSettings.Syslog.Unix(socket);
    }

    private UpstreamSettings upstream(ConfigNode node) {
        UpstreamSettings defaults = UpstreamSettings.DEFAULTS;
        Mapping m = section(node, "upstream", UPSTREAM_KEYS);
        if (m == null) {
            return defaults;
        }
        return new UpstreamSettings(
                read.duration(optional(m, "connect_timeout"), "upstream.connect_timeout", true, defaults.connectTimeout()),
                read.duration(optional(m, "idle_timeout"), "upstream.idle_timeout", true, defaults.idleTimeout()),
                read.integer(optional(m, "max_idle_per_backend"), "upstream.max_idle_per_backend",
                        0, MAX_IDLE_PER_BACKEND, defaults.maxIdlePerBackend()));
    }

    private Map<String, PoolConfig> pools(ConfigNode node) {
        Map<String, PoolConfig> pools = new LinkedHashMap<>();
        Mapping m = read.mapping(node, "pools", "a mapping of pool names to pools");
        if (m == null) {
            return pools;
        }
        poolsRead = true;
        for (ConfigNode.Entry entry : m.all()) {
            String path = key("pools", entry.key());
            String name = PoolConfig.canonicalName(entry.key());
            Integer first = poolLines.putIfAbsent(name, entry.line());
            if (first != null) {
                read.problem(entry.line(), path, "pool \"" + name + "\" is already defined at line " + first
                        + " (pool names ignore case)");
                continue;
            }
            if (!POOL_NAME.matcher(name).matches()) {
                read.problem(entry.line(), path, "\"" + entry.key() + "\" is not a valid pool name: use a-z, 0-9, '_', '.'"
                        + " and '-', starting with a letter or digit, at most " + MAX_POOL_NAME + " characters");
            }
            PoolConfig pool = pool(name, entry, path);
            if (pool != null) {
                pools.put(name, pool);
            }
        }
        return pools;
    }

    private PoolConfig pool(String name, ConfigNode.Entry entry, String path) {
        Mapping m = read.mapping(entry.value(), path, "a pool: a mapping with backends and, optionally, balance");
        if (m == null) {
            return null;
        }
        read.knownKeysOnly(m, path, POOL_KEYS);
        Balance balance = read.choice(optional(m, "balance"), key(path, "balance"),
                Balance::fromConfigName, BALANCES, Balance.ROUND_ROBIN);
        // Allowed with every algorithm, so that switching balance back and forth is a one-line change.
        double hashEpsilon = read.positiveNumber(optional(m, "hash_epsilon"), key(path, "hash_epsilon"),
                PoolConfig.DEFAULT_HASH_EPSILON);
        List<BackendConfig> backends = backends(
                read.required(m, "backends", entry.line(), path, "a list of backends ([] for none)"), key(path, "backends"));
        PoolPolicy policy = new PoolPolicy(
                healthCheck(optional(m, "health_check"), key(path, "health_check")),
                outliers(optional(m, "outlier_detection"), key(path, "outlier_detection")),
                timeouts(optional(m, "timeouts"), key(path, "timeouts")),
                retries(optional(m, "retries"), key(path, "retries")),
                limits(optional(m, "limits"), key(path, "limits")));
        return new PoolConfig(name, balance, hashEpsilon, backends, policy);
    }

    private FrontDoor.Timeouts clientTimeouts(ConfigNode node) {
        FrontDoor.Timeouts d = FrontDoor.Timeouts.DEFAULTS;
        Mapping m = section(node, "timeouts", CLIENT_TIMEOUT_KEYS);
        if (m == null) {
            return d;
        }
        return new FrontDoor.Timeouts(
                read.duration(optional(m, "header"), "timeouts.header", true, d.header()),
                read.duration(optional(m, "keep_alive"), "timeouts.keep_alive", true, d.keepAlive()),
                read.duration(optional(m, "body"), "timeouts.body", true, d.body()),
                read.duration(optional(m, "write"), "timeouts.write", true, d.write()));
    }

    private FrontDoor.Limits clientLimits(ConfigNode node) {
        FrontDoor.Limits d = FrontDoor.Limits.DEFAULTS;
        Mapping m = section(node, "limits", CLIENT_LIMIT_KEYS);
        if (m == null) {
            return d;
        }
        return new FrontDoor.Limits(
                read.integer(optional(m, "max_connections"), "limits.max_connections", 0, 10_000_000,
                        d.maxConnections()),
                read.integer(optional(m, "max_connections_per_ip"), "limits.max_connections_per_ip", 0, 10_000_000,
                        d.maxConnectionsPerIp()),
                read.integer(optional(m, "rate_per_ip"), "limits.rate_per_ip", 0, 10_000_000, d.ratePerIp()),
                read.integer(optional(m, "burst"), "limits.burst", 0, 10_000_000, d.burst()),
                overload(optional(m, "overload")));
    }

    private FrontDoor.Overload overload(ConfigNode node) {
        FrontDoor.Overload d = FrontDoor.Overload.DEFAULTS;
        Mapping m = section(node, "limits.overload", OVERLOAD_KEYS);
        if (m == null) {
            return d;
        }
        int memoryHigh = read.percent(optional(m, "memory_high"), "limits.overload.memory_high", d.memoryHigh());
        int memoryLow = read.percent(optional(m, "memory_low"), "limits.overload.memory_low", d.memoryLow());
        int fdsHigh = read.percent(optional(m, "fds_high"), "limits.overload.fds_high", d.fdsHigh());
        int fdsLow = read.percent(optional(m, "fds_low"), "limits.overload.fds_low", d.fdsLow());
        boolean valid = lowBelowHigh(m, "memory", memoryLow, memoryHigh) & lowBelowHigh(m, "fds", fdsLow, fdsHigh);
        return valid ? new FrontDoor.Overload(memoryHigh, memoryLow, fdsHigh, fdsLow) : d;
    }

    /** A low mark at or above its high mark would shed and recover at once, or never recover. */
    private boolean lowBelowHigh(Mapping m, String what, int low, int high) {
        if (low < high) {
            return true;
        }
        ConfigNode at = optional(m, what + "_low") != null ? optional(m, what + "_low") : optional(m, what + "_high");
        read.problem(at.line(), "limits.overload." + what + "_low",
                "must be below " + what + "_high (" + low + "% is not below " + high + "%)");
        return false;
    }

    /** A size in bytes: {@code 1048576}, {@code 512k}, {@code 10m}, {@code 1g}; absent: 0. */
    private long size(ConfigNode node, String path) {
        String text = read.text(node, path, "a size, e.g. 10m");
        if (text == null) {
            return 0;
        }
        Matcher matcher = SIZE.matcher(text.toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            read.expected(node, path, "a size in bytes, or with k, m or g: 512k, 10m, 1g");
            return 0;
        }
        int shift = switch (matcher.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
        return Long.parseLong(matcher.group(1)) << shift;
    }

    /** The mapping at {@code node} holding only {@code keys}, or {@code null} when absent or not a mapping. */
    private Mapping section(ConfigNode node, String path, List<String> keys) {
        Mapping m = read.mapping(node, path, "a mapping of " + String.join(", ", keys));
        if (m != null) {
            read.knownKeysOnly(m, path, keys);
        }
        return m;
    }

    private HealthCheck healthCheck(ConfigNode node, String path) {
        Mapping m = section(node, path, HEALTH_KEYS);
        if (m == null) {
            return null;
        }
        String method = read.choice(optional(m, "method"), key(path, "method"),
                t -> CHECK_METHODS.contains(t) ? t : null, CHECK_METHODS, "GET");
        String checkPath = read.text(read.required(m, "path", m.line(), path, "the path to request, e.g. /healthz"),
                key(path, "path"), "a path starting with \"/\"");
        if (checkPath != null && !checkPath.startsWith("/")) {
            read.problem(m.line(), key(path, "path"), "\"" + checkPath + "\" does not start with \"/\"");
        }
        String host = read.text(optional(m, "host"), key(path, "host"), "a host name");
        int[] expect = statusRange(optional(m, "expect"), key(path, "expect"));
        Duration interval = read.duration(optional(m, "interval"), key(path, "interval"), true,
                HealthCheck.DEFAULT_INTERVAL);
        Duration timeout = read.duration(optional(m, "timeout"), key(path, "timeout"), true, HealthCheck.DEFAULT_TIMEOUT);
        int rise = read.integer(optional(m, "rise"), key(path, "rise"), 1, 100, HealthCheck.DEFAULT_RISE);
        int fall = read.integer(optional(m, "fall"), key(path, "fall"), 1, 100, HealthCheck.DEFAULT_FALL);
        int jitter = read.integer(optional(m, "jitter_percent"), key(path, "jitter_percent"), 0, 50,
                HealthCheck.DEFAULT_JITTER_PERCENT);
        return new HealthCheck(method, checkPath == null ? "/" : checkPath, host, expect[0], expect[1], interval, timeout,
                rise, fall, jitter);
    }

    /** {@code 200}, or {@code 200-399}; default 200-399. */
    private int[] statusRange(ConfigNode node, String path) {
        int[] fallback = {200, 399};
        String text = read.text(node, path, "a status or a range of statuses, e.g. 200-399");
        if (text == null) {
            return fallback;
        }
        Matcher matcher = STATUS_RANGE.matcher(text);
        if (!matcher.matches()) {
            read.expected(node, path, "a status or a range of statuses, e.g. 200 or 200-399");
            return fallback;
        }
        int from = Integer.parseInt(matcher.group(1));
        int to = matcher.group(2) == null ? from : Integer.parseInt(matcher.group(2));
        if (to < from) {
            read.problem(node.line(), path, "the range " + text + " is empty; write the lower status first");
            return fallback;
        }
        return new int[] {from, to};
    }

    private OutlierDetection outliers(ConfigNode node, String path) {
        OutlierDetection d = OutlierDetection.DEFAULTS;
        Mapping m = section(node, path, OUTLIER_KEYS);
        if (m == null) {
            return d;
        }
        return new OutlierDetection(
                read.integer(optional(m, "consecutive_failures"), key(path, "consecutive_failures"), 0, 1000,
                        d.consecutiveFailures()),
                read.duration(optional(m, "base_ejection_time"), key(path, "base_ejection_time"), true,
                        d.baseEjectionTime()),
                read.duration(optional(m, "max_ejection_time"), key(path, "max_ejection_time"), true,
                        d.maxEjectionTime()),
                read.integer(optional(m, "max_ejection_percent"), key(path, "max_ejection_percent"), 0, 100,
                        d.maxEjectionPercent()));
    }

    private PoolTimeouts timeouts(ConfigNode node, String path) {
        PoolTimeouts d = PoolTimeouts.DEFAULTS;
        Mapping m = section(node, path, TIMEOUT_KEYS);
        if (m == null) {
            return d;
        }
        return new PoolTimeouts(
                read.duration(optional(m, "connect"), key(path, "connect"), true, d.connect()),
                read.duration(optional(m, "response"), key(path, "response"), false, d.response()),
                read.duration(optional(m, "idle"), key(path, "idle"), false, d.idle()),
                read.duration(optional(m, "total"), key(path, "total"), false, d.total()));
    }

    private RetryPolicy retries(ConfigNode node, String path) {
        RetryPolicy d = RetryPolicy.DEFAULTS;
        Mapping m = section(node, path, RETRY_KEYS);
        if (m == null) {
            return d;
        }
        return new RetryPolicy(
                read.integer(optional(m, "attempts"), key(path, "attempts"), 0, 10, d.attempts()),
                read.integer(optional(m, "budget_percent"), key(path, "budget_percent"), 0, 100, d.budgetPercent()),
                read.integer(optional(m, "min_retries"), key(path, "min_retries"), 0, 1000, d.minRetries()));
    }

    private CircuitLimits limits(ConfigNode node, String path) {
        CircuitLimits d = CircuitLimits.DEFAULTS;
        Mapping m = section(node, path, LIMIT_KEYS);
        if (m == null) {
            return d;
        }
        return new CircuitLimits(
                read.integer(optional(m, "max_connections"), key(path, "max_connections"), 0, 1_000_000,
                        d.maxConnections()),
                read.integer(optional(m, "max_requests"), key(path, "max_requests"), 0, 10_000_000, d.maxRequests()));
    }

    private List<BackendConfig> backends(ConfigNode node, String path) {
        List<BackendConfig> backends = new ArrayList<>();
        Sequence list = read.sequence(node, path, "a list of backends ([] for none)");
        if (list == null) {
            return backends;
        }
        Map<String, Integer> addressLines = new HashMap<>();
        for (int i = 0; i < list.items().size(); i++) {
            ConfigNode backend = list.items().get(i);
            String itemPath = item(path, i);
            ConfigNode addressNode = backend;
            String addressPath = itemPath;
            String what = "host:port, or a mapping with address and weight";
            int weight = 1;
            if (backend instanceof Mapping m) {
                read.knownKeysOnly(m, itemPath, BACKEND_KEYS);
                what = "host:port";
                addressPath = key(itemPath, "address");
                addressNode = read.required(m, "address", m.line(), itemPath, what);
                weight = read.integer(optional(m, "weight"), key(itemPath, "weight"), 1, MAX_WEIGHT, 1);
            }
            HostPort address = read.address(addressNode, addressPath, what, HostPort::parse);
            if (address == null) {
                continue;
            }
            // Host names ignore case (RFC 4343), so two spellings of one host are one backend.
            Integer first = addressLines.putIfAbsent(address.host().toLowerCase(Locale.ROOT) + ":" + address.port(),
                    addressNode.line());
            if (first != null) {
                read.problem(addressNode.line(), addressPath, address + " is already in this pool at line " + first);
            } else {
                backends.add(new BackendConfig(address, weight));
            }
        }
        return backends;
    }

    private List<RouteConfig> routes(ConfigNode node) {
        List<RouteConfig> routes = new ArrayList<>();
        Sequence list = read.sequence(node, "routes", "a list of routes");
        if (list == null) {
            return routes;
        }
        for (int i = 0; i < list.items().size(); i++) {
            String path = item("routes", i);
            Mapping m = read.mapping(list.items().get(i), path, "a route: a mapping with pool and, optionally, host and path");
            if (m == null) {
                continue;
            }
            read.knownKeysOnly(m, path, ROUTE_KEYS);
            String host = routeHost(optional(m, "host"), key(path, "host"));
            String prefix = routePath(optional(m, "path"), key(path, "path"));
            String pool = poolReference(read.required(m, "pool", m.line(), path, "the name of a pool"), key(path, "pool"));
            if (prefix != null && pool != null) {
                routes.add(new RouteConfig(host, prefix, pool, size(optional(m, "max_body"), key(path, "max_body"))));
            }
        }
        return routes;
    }

    /** The canonical host or {@code *.suffix} of a route; {@code null} for any host. */
    private String routeHost(ConfigNode node, String path) {
        String text = read.text(node, path, "a host name, \"*.\" and a domain, or \"*\"");
        if (text == null || text.equals("*")) {
            return null;
        }
        boolean wildcard = text.startsWith("*.");
        String name = wildcard ? text.substring(2) : text;
        if (name.indexOf('*') >= 0) {
            read.problem(node.line(), path, "\"" + text + "\" is not a host pattern: a wildcard is \"*.\" and a domain,"
                    + " like \"*.apps.example\", or \"*\" alone for any host");
            return null;
        }
        int close = name.lastIndexOf(']'); // a colon inside [IPv6] is not a port separator
        int colon = name.lastIndexOf(':');
        if (colon > close && name.indexOf(':', close + 1) == colon) {
            read.problem(node.line(), path, "\"" + text + "\" has a port; a route matches the host name on every port");
            return null;
        }
        try {
            String canonical = HostKey.canonical(name);
            return wildcard ? "*." + canonical : canonical;
        } catch (IllegalArgumentException e) {
            read.problem(node.line(), path, e.getMessage());
            return null;
        }
    }

    private String routePath(ConfigNode node, String path) {
        String text = read.text(node, path, "a path prefix");
        if (text == null) {
            return "/";
        }
        // Request targets are ASCII and the query is not part of the path, so such a prefix never matches.
        boolean valid = text.startsWith("/") && text.chars().allMatch(c -> c > ' ' && c < 0x7f && c != '?' && c != '#');
        return valid ? text : read.expected(node, path,
                "a path prefix starting with \"/\", without spaces, '?' or '#' (percent-encode other characters)");
    }

    private String poolReference(ConfigNode node, String path) {
        String text = read.text(node, path, "the name of a pool");
        if (text == null) {
            return null;
        }
        String name = PoolConfig.canonicalName(text);
        if (poolLines.containsKey(name) || !poolsRead) {
            return name;
        }
        String hint = EditDistance.closest(name, poolLines.keySet()).map(p -> "; did you mean \"" + p + "\"?").orElse("");
        String defined = poolLines.isEmpty() ? "no pools are defined" : "defined pools: " + String.join(", ", poolLines.keySet());
        read.problem(node.line(), path, "no pool named \"" + name + "\"" + hint + " (" + defined + ")");
        return null;
    }
}
