package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.OriginServer;
import dev.sluice.testing.TestProxy;
import dev.sluice.testing.WireClient;
import dev.sluice.testing.WireClient.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Many clients at once, all answered, each with its own answer. */
class ConcurrencyTest {

    @Test
    void thousandConcurrentConnectionsAreAllAnsweredCorrectly() throws Exception {
        int n = 1000;
        try (OriginServer a = OriginServer.start("a");
                OriginServer b = OriginServer.start("b");
                TestProxy proxy = TestProxy.start("""
                        listen: 127.0.0.1:0
                        pools:
                          p:
                            balance: least_request
                            backends: [127.0.0.1:%d, 127.0.0.1:%d]
                        routes: [ { pool: p } ]
                        limits: { max_connections_per_ip: 0 }  # all thousand come from 127.0.0.1
                        """.formatted(a.port(), b.port()));
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch allConnected = new CountDownLatch(n);
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int id = i;
                answers.add(threads.submit(() -> {
                    try (WireClient c = new WireClient(proxy.port())) {
                        allConnected.countDown();
                        // every connection is open before any sends: they really are concurrent
                        assertThat(allConnected.await(60, TimeUnit.SECONDS)).isTrue();
                        return c.send(WireClient.get("c" + id + ".test", "/client/" + id)).read();
                    }
                }));
            }
            for (int i = 0; i < n; i++) {
                Response r = answers.get(i).get(90, TimeUnit.SECONDS);
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.echoed("uri")).isEqualTo("/client/" + i);
                assertThat(r.seenHeader("host")).containsExactly("c" + i + ".test");
            }
            assertThat(a.requests() + b.requests()).isEqualTo(n);
            assertThat(a.requests()).isPositive();
            assertThat(b.requests()).isPositive();
        }
    }
}
