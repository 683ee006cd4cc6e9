package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.OriginServer;
import dev.sluice.testing.TestProxy;
import dev.sluice.testing.WireClient;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The balancing algorithms, seen through the proxy. */
class BalancingTest {

    static OriginServer a;
    static OriginServer b;
    static OriginServer c;
    static TestProxy proxy;

    @BeforeAll
    static void start() {
        a = OriginServer.start("a");
        b = OriginServer.start("b");
        c = OriginServer.start("c");
        proxy = TestProxy.start("""
                listen: 127.0.0.1:0
                threads: 1
                pools:
                  rr:
                    backends:
                      - address: 127.0.0.1:%1$d
                        weight: 2
                      - 127.0.0.1:%2$d
                      - 127.0.0.1:%3$d
                  hash:
                    balance: consistent_hash
                    backends: [127.0.0.1:%1$d, 127.0.0.1:%2$d, 127.0.0.1:%3$d]
                routes:
                  - host: "*.hash.test"
                    pool: hash
                  - pool: rr
                """.formatted(a.port(), b.port(), c.port()));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        a.close();
        b.close();
        c.close();
    }

    @Test
    void weightedRoundRobinSplitsExactlyByWeight() throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        try (WireClient client = new WireClient(proxy.port())) {
            for (int i = 0; i < 400; i++) {
                counts.merge(client.send(WireClient.get("rr.test", "/")).read().header("x-origin"), 1, Integer::sum);
            }
        }
        assertThat(counts).containsEntry("a", 200).containsEntry("b", 100).containsEntry("c", 100);
    }

    @Test
    void consistentHashKeepsEachHostOnOneBackendAndSpreadsHosts() throws IOException {
        Map<String, String> first = new HashMap<>();
        Map<String, Integer> hostsPerBackend = new HashMap<>();
        try (WireClient client = new WireClient(proxy.port())) {
            for (int round = 0; round < 3; round++) {
                for (int h = 0; h < 60; h++) {
                    // the same host in other spellings is the same key
                    String host = (round == 1 ? "SITE" + h + ".HASH.test" : "site" + h + ".hash.test")
                            + (round == 2 ? ":8080" : "");
                    String origin = client.send(WireClient.get(host, "/")).read().header("x-origin");
                    String before = first.putIfAbsent("site" + h, origin);
                    if (before == null) {
                        hostsPerBackend.merge(origin, 1, Integer::sum);
                    } else {
                        assertThat(origin).as("host %s", host).isEqualTo(before);
                    }
                }
            }
        }
        assertThat(hostsPerBackend).containsOnlyKeys("a", "b", "c");
    }
}
