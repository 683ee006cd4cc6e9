package dev.sluice.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.config.BackendConfig;
import dev.sluice.config.HostPort;
import dev.sluice.config.RouteConfig;
import dev.sluice.config.DynamicState;
import dev.sluice.testing.Seeds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class StateCodecTest {

    static LongStream seeds() {
        return Seeds.seeds(500);
    }

    @Test
    void writesOneStableLineInTheRecordsOrder() {
        DynamicState state = new DynamicState(12,
                Map.of("apps", List.of(new BackendConfig(new HostPort("127.0.0.1", 9001), 1))),
                List.of(new RouteConfig("*.apps.example", "/", "apps")));

        assertThat(text(StateCodec.encode(state))).isEqualTo("""
                {"version":12,"pools":{"apps":[{"address":"127.0.0.1:9001","weight":1}]},\
                "routes":[{"host":"*.apps.example","path":"/","pool":"apps"}]}
                """);
    }

    @Test
    void routesNotReplacedAndAnyHostAreNull() throws IOException {
        DynamicState kept = new DynamicState(3, Map.of("b", List.of()), null);
        assertThat(text(StateCodec.encode(kept))).isEqualTo("{\"version\":3,\"pools\":{\"b\":[]},\"routes\":null}\n");

        DynamicState anyHost = new DynamicState(4, Map.of(), List.of(new RouteConfig(null, "/", "b")));
        assertThat(text(StateCodec.encode(anyHost))).contains("{\"host\":null,\"path\":\"/\",\"pool\":\"b\"}");
        assertThat(decode(StateCodec.encode(anyHost))).isEqualTo(anyHost);
    }

    @Test
    void ipv6BackendsKeepTheirBrackets() throws IOException {
        DynamicState state = new DynamicState(1, Map.of("v6", List.of(new BackendConfig(new HostPort("::1", 80), 7))), null);
        assertThat(text(StateCodec.encode(state))).contains("\"address\":\"[::1]:80\"");
        assertThat(decode(StateCodec.encode(state))).isEqualTo(state);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomStatesRoundTripExactly(long seed) throws IOException {
        DynamicState state = RandomState.generate(Seeds.random(seed));
        assertThat(decode(StateCodec.encode(state))).as("seed %d", seed).isEqualTo(state);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"version":1,"pools":{},"routes":null,"extra":1}        | $.extra: unknown field (expected only pools, routes, version)
            {"version":1,"pools":{}}                                | $.routes: missing
            {"version":"1","pools":{},"routes":null}                | $.version: expected a whole number 0-9223372036854775807, got "1"
            {"version":1.5,"pools":{},"routes":null}                | $.version: expected a whole number 0-9223372036854775807, got 1.5
            {"version":-1,"pools":{},"routes":null}                 | $.version: expected a whole number 0-9223372036854775807, got -1
            {"version":1,"pools":[],"routes":null}                  | $.pools: expected an object, got []
            {"version":1,"pools":{"a":{}},"routes":null}            | $.pools.a: expected an array, got {}
            {"version":1,"pools":{"a":[{"address":"h:1","weight":300}]},"routes":null} | $.pools.a[0].weight: expected a whole number 1-256, got 300
            {"version":1,"pools":{"a":[{"address":"h:1","weight":0}]},"routes":null}   | $.pools.a[0].weight: expected a whole number 1-256, got 0
            {"version":1,"pools":{"a.b":[{"address":"h:1"}]},"routes":null}           | $.pools["a.b"][0].weight: missing
            {"version":1,"pools":{"a":[{"address":"nohost","weight":1}]},"routes":null} | $.pools.a[0].address: "nohost" is not an address: expected host:port
            {"version":1,"pools":{"a":[{"address":"h:0","weight":1}]},"routes":null}    | $.pools.a[0].address: "h:0" is not an address: port 0 is out of range 1-65535
            {"version":1,"pools":{"a":[{"address":"h:1","weight":1,"wieght":2}]},"routes":null} | $.pools.a[0].wieght: unknown field (expected only address, weight)
            {"version":1,"pools":{"":[]},"routes":null}             | $.pools[""]: a pool name is empty
            {"version":1,"pools":{},"routes":{}}                    | $.routes: expected an array, got {}
            {"version":1,"pools":{},"routes":[{"host":null,"path":5,"pool":"a"}]} | $.routes[0].path: expected a string, got 5
            {"version":1,"pools":{},"routes":[{"host":1,"path":"/","pool":"a"}]}  | $.routes[0].host: expected a string, got 1
            {"version":1,"pools":{},"routes":[{"path":"/","pool":"a"}]}           | $.routes[0].host: missing
            [1,2]                                                   | $: expected an object, got [1,2]
            ''                                                      | $: expected an object, got nothing
            {"version":1,"version":2,"pools":{},"routes":null}      | not JSON (body line 1, column 23): Duplicate field 'version'
            {"version":1,"pools":{},"routes":null} {}               | not JSON (body line 1, column 41): more after the end of the state object
            {"version":1,"pools":{},"routes":nul}                   | not JSON (body line 1, column 34): Unrecognized token 'nul'
            """)
    void refusesAnythingButAStateSayingWhereAndWhat(String json, String message) {
        assertThatThrownBy(() -> decode(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(message);
    }

    private static DynamicState decode(byte[] json) throws IOException {
        byte[] framed = new byte[json.length + 4]; // the body sits after the header in a file
        Arrays.fill(framed, (byte) '#');
        System.arraycopy(json, 0, framed, 2, json.length);
        return StateCodec.decode(framed, 2, json.length);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
