package dev.sluice.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.balance.Balance;
import dev.sluice.balance.LoadBalancer;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RouteTableTest {

    static Pool pool(String name) {
        return new Pool(name, Balance.ROUND_ROBIN, LoadBalancer.roundRobin(List.of()));
    }

    static Route route(int i, String host, String path) {
        return new Route(i, host, path, pool("p" + i));
    }

    @Test
    void firstMatchWinsAcrossExactWildcardAndDefault() {
        RouteTable t = new RouteTable(7, List.of(
                route(0, "*.example", "/admin/"),
                route(1, "api.example", "/v1/"),
                route(2, "api.example", "/"),
                route(3, "*.example", "/"),
                route(4, null, "/static/"),
                route(5, "*.b.example", "/"),
                route(6, null, "/")));
        assertThat(t.version()).isEqualTo(7);
        assertThat(t.match("api.example", "/admin/x").index()).isZero();
        assertThat(t.match("api.example", "/v1/users").index()).isEqualTo(1);
        assertThat(t.match("api.example", "/v2").index()).isEqualTo(2);
        assertThat(t.match("www.example", "/static/a").index()).isEqualTo(3);
        assertThat(t.match("a.b.example", "/").index()).isEqualTo(3);
        assertThat(t.match("other.test", "/static/a").index()).isEqualTo(4);
        assertThat(t.match("other.test", "/x").index()).isEqualTo(6);
        assertThat(t.match(null, "/x").index()).isEqualTo(6);
        assertThat(t.match("example", "/").index()).isEqualTo(6); // *.example does not match example
    }

    @Test
    void noMatchIsNull() {
        RouteTable t = new RouteTable(1, List.of(route(0, "a.example", "/")));
        assertThat(t.match("b.example", "/")).isNull();
        assertThat(t.match(null, "/")).isNull();
        assertThat(RouteTable.empty().match("a", "/")).isNull();
    }

    /** The indexed lookup agrees with the obvious linear scan on random tables and requests. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 20261124})
    void indexedLookupEqualsLinearScan(long seed) {
        RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        String[] names = {"a", "b", "c", "x.a", "y.x.a", "b.c", "z.b.c"};
        String[] paths = {"/", "/v1/", "/v1/x", "/v2/", "/admin"};
        for (int round = 0; round < 200; round++) {
            List<Route> routes = new ArrayList<>();
            int n = random.nextInt(12);
            for (int i = 0; i < n; i++) {
                int kind = random.nextInt(3);
                String name = names[random.nextInt(names.length)];
                String host = kind == 0 ? null : kind == 1 ? name : "*." + name;
                routes.add(route(i, host, paths[random.nextInt(paths.length)]));
            }
            RouteTable t = new RouteTable(round, routes);
            for (String host : names) {
                for (String path : new String[] {"/", "/v1/x/y", "/v2/", "/admin/z", "/other"}) {
                    Route expected = routes.stream().filter(r -> linearMatch(r, host, path)).findFirst().orElse(null);
                    assertThat(t.match(host, path)).as("seed %d round %d: %s%s in %s", seed, round, host, path, routes)
                            .isEqualTo(expected);
                }
            }
        }
    }

    private static boolean linearMatch(Route r, String host, String path) {
        boolean hostMatches = r.host() == null
                || r.host().equals(host)
                || (r.host().startsWith("*.") && host.endsWith(r.host().substring(1)));
        return hostMatches && path.startsWith(r.pathPrefix());
    }
}
