package dev.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A route list sent as JSON is read by the config file's rules, and only strict JSON is taken. */
class RouteListTest {

    /** In config order, as the control plane passes them; messages list them in this order. */
    private static final Set<String> POOLS = new LinkedHashSet<>(List.of("web", "api"));

    @Test
    void readsRoutesCanonicallyLikeTheFile() throws ConfigException {
        List<RouteConfig> routes = ConfigLoader.parseRoutes("""
                [ {"host": "Shop.Example.", "path": "/v1/", "pool": "API"},
                  {"host": "*.Apps.Example", "pool": "web"},
                  {"pool": "web"} ]
                """, "body", POOLS);

        assertThat(routes).containsExactly(
                new RouteConfig("shop.example", "/v1/", "api"),
                new RouteConfig("*.apps.example", "/", "web"),
                new RouteConfig(null, "/", "web"));
    }

    @Test
    void anEmptyListIsAllowed() throws ConfigException {
        assertThat(ConfigLoader.parseRoutes("[]", "body", POOLS)).isEmpty();
    }

    @Test
    void reportsEveryProblemWithItsLineAndKey() {
        assertThatThrownBy(() -> ConfigLoader.parseRoutes("""
                [
                  {"pool": "wbe"},
                  {"pool": "web", "hots": "a.example"}
                ]
                """, "body", POOLS))
                .isInstanceOf(ConfigException.class)
                .hasMessage("""
                        body:2: routes[0].pool: no pool named "wbe"; did you mean "web"? (defined pools: web, api)
                        body:3: routes[1].hots: unknown key; did you mean "host"?""");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                           | body: nothing to read; expected a JSON list of routes
            null                         | body: nothing to read; expected a JSON list of routes
            '- pool: web'                | body:1: JSON syntax error at column 2:
            '[{pool: web}]'              | body:1: JSON syntax error at column 3:
            '[{"pool": "web"},]'         | body:1: JSON syntax error at column 18:
            '[] []'                      | body:1: more text after the JSON value; expected a JSON list of routes
            '{"routes": []}'             | body:1: routes: expected a list of routes, got a mapping
            '[{"pool": "web", "pool": "api"}]' | body:1: routes[0].pool: duplicate key; first set at line 1
            '[{"pool": ["web"]}]'        | body:1: routes[0].pool: expected the name of a pool, got a list
            '[{"host": "a.example"}]'    | body:1: routes[0].pool: missing; expected the name of a pool
            '[{"host": "a.example:80", "pool": "web"}]' | body:1: routes[0].host: "a.example:80" has a port
            '[{"path": "v1", "pool": "web"}]' | body:1: routes[0].path: expected a path prefix starting with "/"
            """)
    void rejectsWhatIsNotAStrictJsonRouteList(String json, String problem) {
        assertThatThrownBy(() -> ConfigLoader.parseRoutes(json, "body", POOLS))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(problem);
    }
}
