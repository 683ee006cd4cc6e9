package dev.sluice.config;

import dev.sluice.balance.Balance;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * A random valid config: the records it must load as, and YAML text written in one of the many
 * ways an operator might write it (keys in any order, defaults left out, quoted or bare values,
 * flow or block lists, mixed-case names, comments). It remembers where each value sits so that a
 * test can break exactly one of them and know the line and key path the error must name.
 */
final class RandomConfig {

    /** The kinds of values a test can break. */
    enum Kind { ADDRESS, DURATION, WEIGHT, POOL_REFERENCE }

    /** A value on line {@code line} (0-based), columns {@code start} to {@code end}, without quotes. */
    record Slot(Kind kind, String keyPath, int line, int start, int end) {}

    /** After line {@code afterLine} (0-based) a key of the mapping at {@code parentPath} may go, at {@code indent}. */
    record KeySpot(int afterLine, int indent, String parentPath) {}

    /** The config with one defect; the only problem must be at {@code line} (1-based) and {@code keyPath}. */
    record Mutant(String yaml, String defect, int line, String keyPath) {}

    private static final String NAME_START = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final String NAME_REST = NAME_START + "_.-";
    private static final List<String> UNKNOWN_KEYS =
            List.of("colour", "timeout", "max_conns", "lsiten", "hots", "wieght", "bakends", "retries", "tls", "name");
    private static final List<String> BAD_PORTS = List.of("65536", "99999", "http", "-1");
    private static final List<String> BAD_DURATIONS = List.of("10", "5sec", "1.5s", "fast", "-3s", "5 s", "1d", "ms");
    private static final List<String> BAD_WEIGHTS = List.of("0", "257", "3.5", "abc", "true", "-1", "1000", "\"7\"");

    private final RandomGenerator random;
    private final List<String> lines = new ArrayList<>();
    private final List<Slot> slots = new ArrayList<>();
    private final List<KeySpot> keySpots = new ArrayList<>();
    private final Config expected;

    private RandomConfig(RandomGenerator random) {
        this.random = random;
        expected = randomConfig();
        render();
    }

    static RandomConfig generate(RandomGenerator random) {
        return new RandomConfig(random);
    }

    Config expected() {
        return expected;
    }

    String yaml() {
        return String.join("\n", lines) + "\n";
    }

    /** The same text with one random defect: a bad port, unknown key, missing pool, bad duration or weight. */
    Mutant mutate(RandomGenerator random) {
        List<String> text = new ArrayList<>(lines);
        int choice = random.nextInt(slots.size() + keySpots.size());
        if (choice >= slots.size()) {
            KeySpot spot = keySpots.get(choice - slots.size());
            String key = UNKNOWN_KEYS.get(random.nextInt(UNKNOWN_KEYS.size()));
            text.add(spot.afterLine() + 1, " ".repeat(spot.indent()) + key + ": 1");
            return new Mutant(String.join("\n", text) + "\n", "unknown key " + key, spot.afterLine() + 2,
                    NodeReader.key(spot.parentPath(), key));
        }
        Slot slot = slots.get(choice);
        String line = text.get(slot.line());
        String value = line.substring(slot.start(), slot.end());
        String bad = switch (slot.kind()) {
            case ADDRESS -> value.substring(0, value.lastIndexOf(':') + 1) + pick(random, BAD_PORTS);
            case DURATION -> pick(random, BAD_DURATIONS);
            case WEIGHT -> pick(random, BAD_WEIGHTS);
            case POOL_REFERENCE -> {
                String name;
                do {
                    name = "nosuch" + random.nextInt(1000);
                } while (expected.pools().containsKey(name));
                yield name;
            }
        };
        text.set(slot.line(), line.substring(0, slot.start()) + bad + line.substring(slot.end()));
        return new Mutant(String.join("\n", text) + "\n", slot.kind() + " " + value + " -> " + bad,
                slot.line() + 1, slot.keyPath());
    }

    // ---- the model ------------------------------------------------------------------------------

    private Config randomConfig() {
        UpstreamSettings d = UpstreamSettings.DEFAULTS;
        UpstreamSettings upstream = new UpstreamSettings(
                chance(2) ? d.connectTimeout() : duration(1),
                chance(2) ? d.idleTimeout() : duration(1),
                chance(2) ? d.maxIdlePerBackend() : random.nextInt(10_001));
        Map<String, PoolConfig> pools = new LinkedHashMap<>();
        int poolCount = chance(10) ? 0 : random.nextInt(1, 5);
        while (pools.size() < poolCount) {
            String name = poolName();
            pools.putIfAbsent(name, new PoolConfig(name, pick(random, List.of(Balance.values())),
                    chance(2) ? PoolConfig.DEFAULT_HASH_EPSILON : random.nextInt(1, 301) / 100.0, backends()));
        }
        List<RouteConfig> routes = new ArrayList<>();
        int routeCount = pools.isEmpty() ? 0 : random.nextInt(6);
        for (int i = 0; i < routeCount; i++) {
            routes.add(new RouteConfig(routeHost(), chance(3) ? "/" : path(), pick(random, List.copyOf(pools.keySet()))));
        }
        return new Config(address(), pick(random, List.of(TransportChoice.values())), chance(2) ? 0 : random.nextInt(1025),
                chance(2) ? Config.DEFAULT_SHUTDOWN_TIMEOUT : duration(0), upstream, pools, routes,
                AdminSettings.NONE, FrontDoor.DEFAULTS, AccessLogSettings.NONE);
    }

    private List<BackendConfig> backends() {
        List<BackendConfig> backends = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int count = random.nextInt(6);
        while (backends.size() < count) {
            HostPort address = address();
            if (seen.add(address.host().toLowerCase(Locale.ROOT) + ":" + address.port())) {
                backends.add(new BackendConfig(address, chance(2) ? 1 : random.nextInt(1, 257)));
            }
        }
        return backends;
    }

    private HostPort address() {
        String host = switch (random.nextInt(4)) {
            case 0 -> "127.0.0." + random.nextInt(1, 255);
            case 1 -> "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256);
            case 2 -> hostName();
            default -> "fd00::" + Integer.toHexString(random.nextInt(1, 0x10000));
        };
        return new HostPort(host, random.nextInt(1, 65536));
    }

    private String hostName() {
        List<String> labels = new ArrayList<>();
        int count = random.nextInt(1, 4);
        for (int i = 0; i < count; i++) {
            labels.add(word(1, 8));
        }
        return String.join(".", labels);
    }

    /** A canonical route host, a wildcard over one, or {@code null} for any host. */
    private String routeHost() {
        return switch (random.nextInt(5)) {
            case 0 -> null;
            case 1 -> "*." + hostName();
            case 2 -> "10." + random.nextInt(256) + ".0." + random.nextInt(256);
            case 3 -> "[fd00::" + Integer.toHexString(random.nextInt(1, 0x10000)) + "]";
            default -> hostName();
        };
    }

    private String path() {
        StringBuilder path = new StringBuilder();
        int segments = random.nextInt(1, 4);
        for (int i = 0; i < segments; i++) {
            path.append('/').append(word(1, 6));
        }
        return chance(2) ? path + "/" : path.toString();
    }

    private String poolName() {
        StringBuilder name = new StringBuilder().append(NAME_START.charAt(random.nextInt(NAME_START.length())));
        int rest = random.nextInt(chance(20) ? 64 : 10);
        for (int i = 0; i < rest; i++) {
            name.append(NAME_REST.charAt(random.nextInt(NAME_REST.length())));
        }
        return name.toString();
    }

    private String word(int min, int max) {
        StringBuilder word = new StringBuilder();
        int length = random.nextInt(min, max + 1);
        for (int i = 0; i < length; i++) {
            word.append(NAME_START.charAt(random.nextInt(NAME_START.length())));
        }
        return word.toString();
    }

    private Duration duration(int min) {
        ChronoUnit unit = pick(random, List.of(ChronoUnit.MILLIS, ChronoUnit.SECONDS, ChronoUnit.MINUTES, ChronoUnit.HOURS));
        return Duration.of(random.nextInt(min, 100_000), unit);
    }

    // ---- the text -------------------------------------------------------------------------------

    private void render() {
        if (chance(4)) {
            lines.add("---");
        }
        remark(0);
        List<Runnable> sections = new ArrayList<>(List.of(
                () -> entry(0, "", "listen", quoted(expected.listen().toString()), Kind.ADDRESS, "listen", ""),
                this::renderTransport,
                this::renderThreads,
                this::renderShutdownTimeout,
                this::renderUpstream,
                this::renderPools,
                this::renderRoutes));
        shuffle(sections);
        sections.forEach(Runnable::run);
    }

    private void renderTransport() {
        if (expected.transport() != TransportChoice.AUTO || chance(3)) {
            entry(0, "", "transport", quoted(expected.transport().configName()), null, "transport", "");
        }
    }

    private void renderThreads() {
        if (expected.threads() != 0 || chance(3)) {
            entry(0, "", "threads", Integer.toString(expected.threads()), null, "threads", "");
        }
    }

    private void renderShutdownTimeout() {
        if (!expected.shutdownTimeout().equals(Config.DEFAULT_SHUTDOWN_TIMEOUT) || chance(3)) {
            entry(0, "", "shutdown_timeout", quoted(durationText(expected.shutdownTimeout())), Kind.DURATION,
                    "shutdown_timeout", "");
        }
    }

    private void renderUpstream() {
        UpstreamSettings u = expected.upstream();
        UpstreamSettings d = UpstreamSettings.DEFAULTS;
        List<Runnable> keys = new ArrayList<>();
        if (!u.connectTimeout().equals(d.connectTimeout()) || chance(4)) {
            keys.add(() -> entry(2, "", "connect_timeout", quoted(durationText(u.connectTimeout())), Kind.DURATION,
                    "upstream.connect_timeout", "upstream"));
        }
        if (!u.idleTimeout().equals(d.idleTimeout()) || chance(4)) {
            keys.add(() -> entry(2, "", "idle_timeout", quoted(durationText(u.idleTimeout())), Kind.DURATION,
                    "upstream.idle_timeout", "upstream"));
        }
        if (u.maxIdlePerBackend() != d.maxIdlePerBackend() || chance(4)) {
            keys.add(() -> entry(2, "", "max_idle_per_backend", Integer.toString(u.maxIdlePerBackend()), null,
                    "upstream.max_idle_per_backend", "upstream"));
        }
        if (keys.isEmpty()) {
            if (chance(2)) {
                entry(0, "", "upstream", pick(random, List.of("{}", "", "~")), null, "upstream", "");
            }
            return;
        }
        lines.add("upstream:" + remarkAtEnd());
        shuffle(keys);
        keys.forEach(Runnable::run);
    }

    private void renderPools() {
        if (expected.pools().isEmpty()) {
            entry(0, "", "pools", "{}", null, "pools", "");
            return;
        }
        lines.add("pools:");
        remark(2);
        for (PoolConfig pool : expected.pools().values()) {
            String key = mixedCase(pool.name());
            String path = NodeReader.key("pools", key);
            lines.add("  " + quotedIfNeeded(key) + ":" + remarkAtEnd());
            List<Runnable> keys = new ArrayList<>();
            if (pool.balance() != Balance.ROUND_ROBIN || chance(3)) {
                keys.add(() -> entry(4, "", "balance", quoted(pool.balance().configName()), null,
                        NodeReader.key(path, "balance"), path));
            }
            if (pool.hashEpsilon() != PoolConfig.DEFAULT_HASH_EPSILON || chance(4)) {
                double e = pool.hashEpsilon();
                String text = e == Math.rint(e) && chance(2) ? Long.toString((long) e) : Double.toString(e);
                keys.add(() -> entry(4, "", "hash_epsilon", text, null, NodeReader.key(path, "hash_epsilon"), path));
            }
            keys.add(() -> renderBackends(pool.backends(), NodeReader.key(path, "backends"), path));
            shuffle(keys);
            keys.forEach(Runnable::run);
        }
    }

    private void renderBackends(List<BackendConfig> backends, String path, String poolPath) {
        boolean allWeightOne = backends.stream().allMatch(b -> b.weight() == 1);
        if (backends.isEmpty() || allWeightOne && chance(3)) {
            StringBuilder line = new StringBuilder("    backends: [");
            List<Slot> flowSlots = new ArrayList<>();
            for (int i = 0; i < backends.size(); i++) {
                if (i > 0) {
                    line.append(", ");
                }
                String value = quoted(backends.get(i).address().toString());
                int start = line.length() + (isQuoted(value) ? 1 : 0);
                line.append(value);
                flowSlots.add(new Slot(Kind.ADDRESS, NodeReader.item(path, i), lines.size(), start,
                        line.length() - (isQuoted(value) ? 1 : 0)));
            }
            slots.addAll(flowSlots);
            keySpots.add(new KeySpot(lines.size(), 4, poolPath));
            lines.add(line.append("]").append(remarkAtEnd()).toString());
            return;
        }
        lines.add("    backends:" + remarkAtEnd());
        int dash = chance(2) ? 4 : 6; // YAML lets a list sit at its key's indentation
        for (int i = 0; i < backends.size(); i++) {
            BackendConfig b = backends.get(i);
            String item = NodeReader.item(path, i);
            String address = quoted(b.address().toString());
            if (b.weight() == 1 && chance(2)) {
                String prefix = " ".repeat(dash) + "- ";
                addSlot(Kind.ADDRESS, item, prefix, address);
                lines.add(prefix + address + remarkAtEnd());
                continue;
            }
            List<String> keys = new ArrayList<>(List.of("address"));
            if (b.weight() != 1 || chance(2)) {
                keys.add("weight");
            }
            shuffle(keys);
            for (int k = 0; k < keys.size(); k++) {
                String lead = k == 0 ? "- " : "  ";
                if (keys.get(k).equals("address")) {
                    entry(dash, lead, "address", address, Kind.ADDRESS, NodeReader.key(item, "address"), item);
                } else {
                    entry(dash, lead, "weight", Integer.toString(b.weight()), Kind.WEIGHT, NodeReader.key(item, "weight"), item);
                }
            }
        }
    }

    private void renderRoutes() {
        if (expected.routes().isEmpty()) {
            if (chance(2)) {
                entry(0, "", "routes", pick(random, List.of("[]", "", "~")), null, "routes", "");
            }
            return;
        }
        lines.add("routes:" + remarkAtEnd());
        for (int i = 0; i < expected.routes().size(); i++) {
            RouteConfig route = expected.routes().get(i);
            String item = NodeReader.item("routes", i);
            List<Runnable> keys = new ArrayList<>();
            List<String> firstLead = new ArrayList<>(List.of("- ")); // the first key written gets the dash
            keys.add(() -> entry(2, lead(firstLead), "pool", quoted(mixedCase(route.pool())), Kind.POOL_REFERENCE,
                    NodeReader.key(item, "pool"), item));
            if (route.host() != null || chance(3)) {
                keys.add(() -> entry(2, lead(firstLead), "host", quoted(hostSpelling(route.host())), null,
                        NodeReader.key(item, "host"), item));
            }
            if (!route.path().equals("/") || chance(3)) {
                keys.add(() -> entry(2, lead(firstLead), "path", quoted(route.path()), null,
                        NodeReader.key(item, "path"), item));
            }
            shuffle(keys);
            keys.forEach(Runnable::run);
        }
    }

    private static String lead(List<String> firstLead) {
        return firstLead.isEmpty() ? "  " : firstLead.removeFirst();
    }

    /** One of the spellings of {@code host} that canonicalise to it. */
    private String hostSpelling(String host) {
        if (host == null) {
            return pick(random, List.of("*", "", "~"));
        }
        return mixedCase(host) + (host.endsWith("]") || !chance(4) ? "" : ".");
    }

    // ---- writing helpers ------------------------------------------------------------------------

    /**
     * Writes {@code key: value} at {@code indent} after {@code lead} ("" or "- " or "  "), noting
     * the value's place when it is of a kind tests break, and that a sibling key may follow.
     */
    private void entry(int indent, String lead, String key, String value, Kind kind, String path, String parentPath) {
        String prefix = " ".repeat(indent) + lead + (chance(10) ? "\"" + key + "\"" : key) + ":" + (value.isEmpty() ? "" : " ");
        if (kind != null) {
            addSlot(kind, path, prefix, value);
        }
        keySpots.add(new KeySpot(lines.size(), indent + lead.length(), parentPath));
        lines.add(prefix + value + remarkAtEnd());
        remark(indent);
    }

    private void addSlot(Kind kind, String path, String prefix, String value) {
        int quote = isQuoted(value) ? 1 : 0;
        slots.add(new Slot(kind, path, lines.size(), prefix.length() + quote, prefix.length() + value.length() - quote));
    }

    /** {@code text} as a YAML scalar: bare when YAML would read it back as the same text, else maybe quoted. */
    private String quoted(String text) {
        boolean mustQuote = text.startsWith("[") || text.startsWith("*") || text.equalsIgnoreCase("null")
                || text.equals("~") || text.isEmpty();
        if (text.equals("~") || text.isEmpty()) {
            return text; // these spell "no value" on purpose
        }
        return switch (mustQuote ? 1 + random.nextInt(2) : random.nextInt(3)) {
            case 0 -> text;
            case 1 -> "\"" + text + "\"";
            default -> "'" + text + "'";
        };
    }

    private String quotedIfNeeded(String key) {
        return key.equalsIgnoreCase("null") ? "\"" + key + "\"" : key;
    }

    private static boolean isQuoted(String value) {
        return value.startsWith("\"") || value.startsWith("'");
    }

    private String mixedCase(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            out.append(chance(4) ? Character.toUpperCase(c) : c);
        }
        return out.toString();
    }

    private static String durationText(Duration d) {
        if (d.toMillis() % 3_600_000 == 0 && !d.isZero()) {
            return d.toHours() + "h";
        }
        if (d.toMillis() % 60_000 == 0 && !d.isZero()) {
            return d.toMinutes() + "m";
        }
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    /** Sometimes a comment or blank line, as people leave them. */
    private void remark(int indent) {
        switch (random.nextInt(10)) {
            case 0 -> lines.add(" ".repeat(indent) + "# a note on the next key");
            case 1 -> lines.add("");
            case 2 -> lines.add("# a comment at the margin");
            default -> { }
        }
    }

    private String remarkAtEnd() {
        return chance(6) ? "   # why this value" : "";
    }

    private boolean chance(int oneIn) {
        return random.nextInt(oneIn) == 0;
    }

    private static <T> T pick(RandomGenerator random, List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    private <T> void shuffle(List<T> list) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            list.set(j, list.set(i, list.get(j)));
        }
    }
}
