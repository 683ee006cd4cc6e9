package dev.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.balance.Balance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    /** The example from docs/config.md. */
    private static final String EXAMPLE = """
            listen: 127.0.0.1:8080          # required. host:port or [ipv6]:port
            transport: auto                 # auto (default) | io_uring | epoll | nio
            threads: 0                      # event loops; 0 (default) = one per core; 0..1024
            shutdown_timeout: 30s           # in-flight requests get this long on SIGTERM (default 30s)
            upstream:                       # optional; defaults from UpstreamSettings.DEFAULTS
              connect_timeout: 5s
              idle_timeout: 60s             # idle keep-alive connections to backends close after this
              max_idle_per_backend: 64      # per event loop; 0..10000
            pools:                          # required mapping; pool name -> pool
              apps:
                balance: consistent_hash    # round_robin (default) | least_request | consistent_hash
                hash_epsilon: 0.25
                backends: [127.0.0.1:9001, 127.0.0.1:9002]
              api:
                backends:
                  - address: 127.0.0.1:9101
                    weight: 3               # 1..256, default 1
            routes:                         # sequence, first match wins; may be empty
              - host: "*.apps.example"      # exact host, or "*." + suffix; omitted = any host
                path: /v1/                  # path prefix, must start with "/"; default "/"
                pool: apps                  # required; must name a pool
            """;

    private static final String MINIMAL = """
            listen: 0.0.0.0:80
            pools:
              web:
                backends: [10.0.0.1:8080]
            """;

    @Test
    void theDocumentedExampleParses() throws ConfigException {
        Config config = ConfigLoader.parse(EXAMPLE, "sluice.yaml");

        assertThat(config).isEqualTo(new Config(
                new HostPort("127.0.0.1", 8080),
                TransportChoice.AUTO,
                0,
                Duration.ofSeconds(30),
                new UpstreamSettings(Duration.ofSeconds(5), Duration.ofSeconds(60), 64),
                Map.of(
                        "apps", new PoolConfig("apps", Balance.CONSISTENT_HASH, 0.25, List.of(
                                new BackendConfig(new HostPort("127.0.0.1", 9001), 1),
                                new BackendConfig(new HostPort("127.0.0.1", 9002), 1))),
                        "api", new PoolConfig("api", Balance.ROUND_ROBIN, PoolConfig.DEFAULT_HASH_EPSILON, List.of(
                                new BackendConfig(new HostPort("127.0.0.1", 9101), 3)))),
                List.of(new RouteConfig("*.apps.example", "/v1/", "apps")),
                AdminSettings.NONE, FrontDoor.DEFAULTS, AccessLogSettings.NONE));
        assertThat(config.pools().keySet()).containsExactly("apps", "api");
    }

    @Test
    void leftOutSettingsTakeTheirDefaults() throws ConfigException {
        Config config = ConfigLoader.parse(MINIMAL, "sluice.yaml");

        assertThat(config.transport()).isEqualTo(TransportChoice.AUTO);
        assertThat(config.threads()).isZero();
        assertThat(config.shutdownTimeout()).isEqualTo(Config.DEFAULT_SHUTDOWN_TIMEOUT);
        assertThat(config.upstream()).isEqualTo(UpstreamSettings.DEFAULTS);
        assertThat(config.pools().get("web")).isEqualTo(new PoolConfig("web", Balance.ROUND_ROBIN,
                PoolConfig.DEFAULT_HASH_EPSILON, List.of(new BackendConfig(new HostPort("10.0.0.1", 8080), 1))));
        assertThat(config.routes()).isEmpty();
    }

    @Test
    void emptyValuesMeanTheDefault() throws ConfigException {
        Config config = ConfigLoader.parse("""
                listen: "[::1]:8443"
                transport:
                upstream:
                  idle_timeout: 2m
                pools:
                  web:
                    backends: []
                routes:
                  - host:
                    path: ~
                    pool: web
                """, "sluice.yaml");

        assertThat(config.listen()).isEqualTo(new HostPort("::1", 8443));
        assertThat(config.transport()).isEqualTo(TransportChoice.AUTO);
        assertThat(config.upstream()).isEqualTo(new UpstreamSettings(Duration.ofSeconds(5), Duration.ofMinutes(2), 64));
        assertThat(config.pools().get("web").backends()).isEmpty();
        assertThat(config.routes()).containsExactly(new RouteConfig(null, "/", "web"));
    }

    @Test
    void poolNamesAndRouteHostsAreCanonical() throws ConfigException {
        Config config = ConfigLoader.parse("""
                listen: localhost:8080
                pools:
                  Web.Blue:
                    balance: least_request
                    hash_epsilon: 2      # allowed, and ignored, for other algorithms
                    backends:
                    - Backend-1.internal:80
                    - {address: "[fd00::1]:80", weight: 256}
                routes:
                  - {host: Shop.Example., pool: WEB.blue}
                  - {host: "*.Bücher.example", pool: web.blue}
                  - {host: "*", path: /static/, pool: web.BLUE}
                """, "sluice.yaml");

        assertThat(config.pools()).containsOnlyKeys("web.blue");
        assertThat(config.pools().get("web.blue")).isEqualTo(new PoolConfig("web.blue", Balance.LEAST_REQUEST, 2.0,
                List.of(new BackendConfig(new HostPort("Backend-1.internal", 80), 1),
                        new BackendConfig(new HostPort("fd00::1", 80), 256))));
        assertThat(config.routes()).containsExactly(
                new RouteConfig("shop.example", "/", "web.blue"),
                new RouteConfig("*.xn--bcher-kva.example", "/", "web.blue"),
                new RouteConfig(null, "/static/", "web.blue"));
    }

    @Test
    void adminSettings() throws ConfigException, java.io.IOException {
        String base = """
                listen: 127.0.0.1:8080
                pools: { a: { backends: [127.0.0.1:9001] } }
                """;
        assertThat(ConfigLoader.parse(base + "admin: 9901\n", "s.yaml").admin())
                .isEqualTo(new AdminSettings(new HostPort("127.0.0.1", 9901), null, null));
        assertThat(ConfigLoader.parse(base + "admin: 0.0.0.0:9902\nadmin_token_file: /etc/t\nstate_dir: /var/s\n",
                "s.yaml").admin()).isEqualTo(new AdminSettings(new HostPort("0.0.0.0", 9902), Path.of("/etc/t"),
                Path.of("/var/s")));
        Path dir = java.nio.file.Files.createTempDirectory("cfg");
        Path file = java.nio.file.Files.writeString(dir.resolve("s.yaml"), base + "admin_token_file: token\n");
        assertThat(ConfigLoader.load(file).admin()).as("relative to the file, state beside it")
                .isEqualTo(new AdminSettings(null, dir.resolve("token"), dir.resolve("sluice-state")));
        assertThatThrownBy(() -> ConfigLoader.parse(base + "admin: nope\n", "s.yaml"))
                .hasMessageContaining("s.yaml:3: admin:");
    }

    @Test
    void portZeroListensAnywhereButIsNoBackend() throws ConfigException {
        assertThat(ConfigLoader.parse("""
                listen: 127.0.0.1:0
                pools: { a: { backends: [127.0.0.1:9001] } }
                routes: [ { pool: a } ]
                """, "sluice.yaml").listen()).isEqualTo(new HostPort("127.0.0.1", 0));
        assertThatThrownBy(() -> ConfigLoader.parse("""
                listen: 127.0.0.1:0
                pools: { a: { backends: [127.0.0.1:0] } }
                """, "sluice.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("sluice.yaml:2: pools.a.backends[0]: \"127.0.0.1:0\" is not an address:"
                        + " port 0 is out of range 1-65535");
    }

    @Test
    void badBackendAddressNamesLineKeyAndReason() {
        assertThatThrownBy(() -> ConfigLoader.parse("""
                listen: 127.0.0.1:8080
                pools:
                  apps:
                    backends:
                      - 127.0.0.1:9001
                      # a comment line counts too
                      - 127.0.0.1:99999
                """, "sluice.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("sluice.yaml:7: pools.apps.backends[1]: \"127.0.0.1:99999\" is not an address:"
                        + " port 99999 is out of range 1-65535");
    }

    @Test
    void unknownKeySuggestsTheNearestKnownKey() {
        assertThat(problems("""
                listen: 127.0.0.1:8080
                upstream:
                  conect_timeout: 1s
                pools:
                  apps:
                    backend: []
                    colour: blue
                """)).containsExactly(
                "sluice.yaml:3: upstream.conect_timeout: unknown key; did you mean \"connect_timeout\"?",
                "sluice.yaml:5: pools.apps.backends: missing; expected a list of backends ([] for none)",
                "sluice.yaml:6: pools.apps.backend: unknown key; did you mean \"backends\"?",
                "sluice.yaml:7: pools.apps.colour: unknown key; expected one of balance, hash_epsilon, backends, health_check, outlier_detection, timeouts, retries, limits");
    }

    @Test
    void everyProblemIsReportedInFileOrder() {
        assertThat(problems("""
                listen: 127.0.0.1:80
                threads: 3.5
                shutdown_timeout: 30
                pools:
                  apps:
                    balance: fastest
                    backends:
                      - address: 10.0.0.1:80
                        weight: 0
                      - 10.0.0.1:80
                routes:
                  - pool: ap
                """)).containsExactly(
                "sluice.yaml:2: threads: expected a whole number 0-1024, got 3.5",
                "sluice.yaml:3: shutdown_timeout: expected a duration: a whole number and a unit, ms, s, m or h"
                        + " (250ms, 5s, 2m), got 30",
                "sluice.yaml:6: pools.apps.balance: expected one of round_robin, least_request, consistent_hash,"
                        + " got \"fastest\"",
                "sluice.yaml:9: pools.apps.backends[0].weight: expected a whole number 1-256, got 0",
                "sluice.yaml:10: pools.apps.backends[1]: 10.0.0.1:80 is already in this pool at line 8",
                "sluice.yaml:12: routes[0].pool: no pool named \"ap\"; did you mean \"apps\"? (defined pools: apps)");
    }

    @Test
    void missingRequiredKeysOfTheWholeFileHaveNoLine() {
        assertThat(problems("threads: 2\n")).containsExactly(
                "sluice.yaml: listen: missing; expected host:port, e.g. 127.0.0.1:8080",
                "sluice.yaml: pools: missing; expected a mapping of pool names to pools");
    }

    @Test
    void listsAndMappingsInTheWrongPlaceSayWhatWasExpected() {
        assertThat(problems("""
                listen: [127.0.0.1:80]
                upstream: 5s
                pools:
                  - web
                routes:
                  web: /
                """)).containsExactly(
                "sluice.yaml:1: listen: expected host:port, got a list",
                "sluice.yaml:2: upstream: expected a mapping of connect_timeout, idle_timeout, max_idle_per_backend,"
                        + " got \"5s\"",
                "sluice.yaml:4: pools: expected a mapping of pool names to pools, got a list",
                "sluice.yaml:6: routes: expected a list of routes, got a mapping");
    }

    @Test
    void numbersMustBeWholeNumbersInRange() {
        assertThat(problems("""
                listen: 127.0.0.1:80
                threads: "4"
                upstream:
                  max_idle_per_backend: true
                pools:
                  web:
                    hash_epsilon: 0
                    backends:
                      - {address: 10.0.0.1:80, weight: abc}
                      - {address: 10.0.0.2:80, weight: 257}
                      - {address: 10.0.0.3:80, weight: 99999999999999999999}
                """)).containsExactly(
                "sluice.yaml:2: threads: expected a whole number 0-1024, got \"4\"",
                "sluice.yaml:4: upstream.max_idle_per_backend: expected a whole number 0-10000, got true",
                "sluice.yaml:7: pools.web.hash_epsilon: expected a number greater than 0, got 0",
                "sluice.yaml:9: pools.web.backends[0].weight: expected a whole number 1-256, got \"abc\"",
                "sluice.yaml:10: pools.web.backends[1].weight: expected a whole number 1-256, got 257",
                "sluice.yaml:11: pools.web.backends[2].weight: expected a whole number 1-256, got 99999999999999999999");
    }

    @Test
    void durationsNeedAWholeNumberAndAUnit() throws ConfigException {
        assertThat(problems("""
                listen: 127.0.0.1:80
                shutdown_timeout: 1.5s
                upstream:
                  connect_timeout: 0s
                  idle_timeout: 5 m
                pools: {}
                """)).containsExactly(
                "sluice.yaml:2: shutdown_timeout: expected a duration: a whole number and a unit, ms, s, m or h"
                        + " (250ms, 5s, 2m), got \"1.5s\"",
                "sluice.yaml:4: upstream.connect_timeout: expected a duration longer than 0: a whole number and a"
                        + " unit, ms, s, m or h (250ms, 5s, 2m), got \"0s\"",
                "sluice.yaml:5: upstream.idle_timeout: expected a duration longer than 0: a whole number and a"
                        + " unit, ms, s, m or h (250ms, 5s, 2m), got \"5 m\"");

        Config config = ConfigLoader.parse("""
                listen: 127.0.0.1:80
                shutdown_timeout: 0s
                upstream: {connect_timeout: 250ms, idle_timeout: 1h}
                pools: {}
                """, "sluice.yaml");
        assertThat(config.shutdownTimeout()).isZero();
        assertThat(config.upstream().connectTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.upstream().idleTimeout()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void overloadMarksArePercentsWithTheLowBelowTheHigh() throws ConfigException {
        Config config = ConfigLoader.parse("""
                listen: 127.0.0.1:80
                pools: {}
                limits:
                  overload: {memory_high: 70%, memory_low: 50, fds_high: "95 %", fds_low: 85%}
                """, "sluice.yaml");
        assertThat(config.front().limits().overload()).isEqualTo(new FrontDoor.Overload(70, 50, 95, 85));

        assertThat(problems("""
                listen: 127.0.0.1:80
                pools: {}
                limits:
                  overload:
                    memory_high: 101%
                    memory_low: 0
                    fds_high: 50%
                    fds_low: 60%
                """)).containsExactly(
                "sluice.yaml:5: limits.overload.memory_high: expected a share from 1% to 100%, got \"101%\"",
                "sluice.yaml:6: limits.overload.memory_low: expected a whole number 1-100, got 0",
                "sluice.yaml:8: limits.overload.fds_low: must be below fds_high (60% is not below 50%)");
        assertThat(problems("""
                listen: 127.0.0.1:80
                pools: {}
                limits:
                  overload: {memory_high: 40%, memory_lo: 20%}
                """)).containsExactly(
                "sluice.yaml:4: limits.overload.memory_lo: unknown key; did you mean \"memory_low\"?",
                "sluice.yaml:4: limits.overload.memory_low: must be below memory_high (60% is not below 40%)");
    }

    @Test
    void choicesSuggestTheNearestName() {
        assertThat(problems("""
                listen: 127.0.0.1:80
                transport: iouring
                pools:
                  web:
                    balance: leastrequest
                    backends: []
                """)).containsExactly(
                "sluice.yaml:2: transport: expected one of auto, io_uring, epoll, nio, got \"iouring\";"
                        + " did you mean \"io_uring\"?",
                "sluice.yaml:5: pools.web.balance: expected one of round_robin, least_request, consistent_hash,"
                        + " got \"leastrequest\"; did you mean \"least_request\"?");
    }

    @Test
    void poolNamesAreCheckedAndCompareWithoutCase() {
        assertThat(problems("""
                listen: 127.0.0.1:80
                pools:
                  web:
                    backends: []
                  Web:
                    backends: []
                  _private:
                    backends: []
                  api:
                  cache:
                    backends:
                routes:
                  - pool: _PRIVATE
                  - pool: nope
                """)).containsExactly(
                "sluice.yaml:5: pools.Web: pool \"web\" is already defined at line 3 (pool names ignore case)",
                "sluice.yaml:7: pools._private: \"_private\" is not a valid pool name: use a-z, 0-9, '_', '.' and '-',"
                        + " starting with a letter or digit, at most 64 characters",
                "sluice.yaml:9: pools.api: expected a pool: a mapping with backends and, optionally, balance,"
                        + " got nothing",
                "sluice.yaml:11: pools.cache.backends: expected a list of backends ([] for none), got nothing",
                "sluice.yaml:14: routes[1].pool: no pool named \"nope\" (defined pools: web, _private, api, cache)");
    }

    @Test
    void routeHostsArePlainNamesOrWildcardsWithoutPorts() {
        assertThat(problems("""
                listen: 127.0.0.1:80
                pools:
                  web:
                    backends: []
                routes:
                  - {host: "shop.example:8080", pool: web}
                  - {host: "*shop.example", pool: web}
                  - {host: "shop..example", pool: web}
                  - {host: "[::1]:80", pool: web}
                  - {path: v1/, pool: web}
                  - {path: "/a b", pool: web}
                  - {host: shop.example}
                  - web
                """)).containsExactly(
                "sluice.yaml:6: routes[0].host: \"shop.example:8080\" has a port; a route matches the host name on"
                        + " every port",
                "sluice.yaml:7: routes[1].host: \"*shop.example\" is not a host pattern: a wildcard is \"*.\" and a"
                        + " domain, like \"*.apps.example\", or \"*\" alone for any host",
                "sluice.yaml:8: routes[2].host: \"shop..example\" is not a valid host name (letters, digits, '-', '_'"
                        + " and '.' labels, an IP address, or [IPv6])",
                "sluice.yaml:9: routes[3].host: \"[::1]:80\" has a port; a route matches the host name on every port",
                "sluice.yaml:10: routes[4].path: expected a path prefix starting with \"/\", without spaces, '?' or"
                        + " '#' (percent-encode other characters), got \"v1/\"",
                "sluice.yaml:11: routes[5].path: expected a path prefix starting with \"/\", without spaces, '?' or"
                        + " '#' (percent-encode other characters), got \"/a b\"",
                "sluice.yaml:12: routes[6].pool: missing; expected the name of a pool",
                "sluice.yaml:13: routes[7]: expected a route: a mapping with pool and, optionally, host and path,"
                        + " got \"web\"");
    }

    @Test
    void aRouteIsNotBlamedWhenThePoolsThemselvesAreBroken() {
        assertThat(problems("""
                listen: 127.0.0.1:80
                pools: web
                routes:
                  - pool: web
                """)).containsExactly("sluice.yaml:2: pools: expected a mapping of pool names to pools, got \"web\"");
    }

    @Test
    void duplicateKeysAreReportedAtTheSecondOne() {
        assertThat(problems("""
                listen: 127.0.0.1:80
                pools:
                  web:
                    backends: []
                    backends: [10.0.0.1:80]
                listen: 127.0.0.1:81
                """)).containsExactly(
                "sluice.yaml:5: pools.web.backends: duplicate key; first set at line 4",
                "sluice.yaml:6: listen: duplicate key; first set at line 1");
    }

    @Test
    void backendsCompareHostsWithoutCase() {
        assertThat(problems("""
                listen: 127.0.0.1:80
                pools:
                  web:
                    backends:
                      - app.internal:80
                      - app.internal:81
                      - address: APP.internal:80
                """)).containsExactly(
                "sluice.yaml:7: pools.web.backends[2].address: APP.internal:80 is already in this pool at line 5");
    }

    @Test
    void aSyntaxErrorStopsTheCheck() {
        assertThat(problems("""
                listen: 127.0.0.1:80
                threads: lots
                pools:
                  web: x
                   backends: []
                """)).containsExactly(
                "sluice.yaml:5: YAML syntax error: mapping values are not allowed here");
        assertThat(problems("""
                listen: 127.0.0.1:80
                pools: {web: [1, 2}
                """)).containsExactly(
                "sluice.yaml:2: YAML syntax error: expected ',' or ']', but got } (while parsing a flow sequence at line 2)");
        assertThat(problems("listen: 127.0.0.1:80\n\tpools: {}\n")).singleElement().asString()
                .startsWith("sluice.yaml:2: YAML syntax error: found character '\\t(TAB)' that cannot start any token.");
    }

    @Test
    void anEmptyDocumentPointsToTheDocs() {
        assertThat(problems("")).containsExactly("sluice.yaml: the config is empty; see docs/config.md");
        assertThat(problems("# nothing yet\n\n")).containsExactly("sluice.yaml: the config is empty; see docs/config.md");
        assertThat(problems("---\n~\n")).containsExactly("sluice.yaml: the config is empty; see docs/config.md");
    }

    @Test
    void theWholeFileMustBeOneMapping() {
        assertThat(problems("- listen: 127.0.0.1:80\n")).containsExactly(
                "sluice.yaml:1: expected a mapping of settings (listen, pools, routes, ...), got a list");
        assertThat(problems(MINIMAL + "---\nlisten: 127.0.0.1:81\n")).containsExactly(
                "sluice.yaml:6: a second YAML document starts here; the config is one document");
    }

    @Test
    void aliasesAreRefused() {
        assertThat(problems("""
                listen: &l 127.0.0.1:80
                pools:
                  web:
                    backends: [*l]
                """)).singleElement().asString()
                .isEqualTo("sluice.yaml:4: YAML aliases (*l) are not supported; write the value out");
    }

    @Test
    void loadNamesTheFileAsGiven(@TempDir Path dir) throws IOException, ConfigException {
        Path file = dir.resolve("sluice.yaml");
        Files.writeString(file, "\uFEFF" + MINIMAL.replace("0.0.0.0:80", "0.0.0.0:99999"));
        assertThatThrownBy(() -> ConfigLoader.load(file))
                .hasMessage(file + ":1: listen: \"0.0.0.0:99999\" is not an address: port 99999 is out of range 0-65535");

        Files.writeString(file, MINIMAL);
        assertThat(ConfigLoader.load(file).listen()).isEqualTo(new HostPort("0.0.0.0", 80));
    }

    @Test
    void anUnreadableFileSaysWhy(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("missing.yaml")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(dir.resolve("missing.yaml") + ": cannot read the config: no such file");

        Path binary = dir.resolve("binary.yaml");
        Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        assertThatThrownBy(() -> ConfigLoader.load(binary))
                .hasMessage(binary + ": cannot read the config: it is not UTF-8 text");
    }

    @Test
    void aProblemWithoutLineOrKeyPathLeavesThemOut() {
        assertThat(new ConfigException.Problem("etcd", 0, "", "unreachable")).hasToString("etcd: unreachable");
        assertThat(new ConfigException.Problem("a.yaml", 3, "routes[0]", "bad")).hasToString("a.yaml:3: routes[0]: bad");
    }

    private static List<String> problems(String yaml) {
        try {
            ConfigLoader.parse(yaml, "sluice.yaml");
        } catch (ConfigException e) {
            assertThat(e.getMessage()).isEqualTo(String.join("\n",
                    e.problems().stream().map(ConfigException.Problem::toString).toList()));
            return e.problems().stream().map(ConfigException.Problem::toString).toList();
        }
        throw new AssertionError("expected problems in:\n" + yaml);
    }
}
