package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.OriginServer;
import dev.sluice.testing.TestProxy;
import dev.sluice.testing.WireClient;
import dev.sluice.testing.WireClient.Response;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Connection and rate limits per client address. Linux routes all of 127/8 to loopback, so a client
 * bound to 127.0.0.2 is another client.
 */
class LimitsTest {

    OriginServer origin;
    TestProxy proxy;
    final List<WireClient> clients = new ArrayList<>();

    @BeforeEach
    void startOrigin() {
        origin = OriginServer.start("o");
    }

    @AfterEach
    void stop() throws IOException {
        for (WireClient c : clients) {
            c.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        origin.close();
    }

    void startProxy(String limits) {
        proxy = TestProxy.start("""
                listen: 127.0.0.1:0
                pools: { web: { backends: [127.0.0.1:%d] } }
                routes: [ { pool: web } ]
                limits: %s
                """.formatted(origin.port(), limits));
    }

    /** A client from {@code address} whose first request was answered: it holds an admitted connection. */
    WireClient admitted(String address) throws IOException {
        WireClient c = open(address);
        assertThat(c.send(WireClient.get("l.test", "/")).read().status()).isEqualTo(200);
        return c;
    }

    WireClient open(String address) throws IOException {
        WireClient c = WireClient.from(address, proxy.port());
        clients.add(c);
        return c;
    }

    @Test
    void aSixthConnectionFromOneAddressIsClosedAtOnce() throws Exception {
        startProxy("{ max_connections_per_ip: 5 }");
        List<WireClient> five = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            five.add(admitted("127.0.0.1"));
        }
        WireClient sixth = open("127.0.0.1").send(WireClient.get("l.test", "/"));
        assertThat(sixth.closedByPeer()).as("closed without an answer").isTrue();
        admitted("127.0.0.2"); // another address is not counted against this one

        five.get(0).close();
        assertThat(admittedWithin("127.0.0.1", 5_000)).as("a connection closed: room for one").isTrue();
        assertThat(open("127.0.0.1").closedByPeer()).as("and only one").isTrue();
    }

    @Test
    void connectionsBeyondMaxConnectionsAreClosedWhateverTheirAddress() throws Exception {
        startProxy("{ max_connections: 3, max_connections_per_ip: 0 }");
        admitted("127.0.0.1");
        admitted("127.0.0.1");
        admitted("127.0.0.2");
        assertThat(open("127.0.0.3").closedByPeer()).isTrue();
        assertThat(open("127.0.0.1").closedByPeer()).isTrue();
    }

    @Test
    void aClientOverItsRateGets429WithRetryAfterAndOthersDoNot() throws Exception {
        startProxy("{ rate_per_ip: 1, burst: 2 }");
        WireClient c = open("127.0.0.1");
        assertThat(c.send(WireClient.get("l.test", "/1")).read().status()).isEqualTo(200);
        assertThat(c.send(WireClient.get("l.test", "/2")).read().status()).isEqualTo(200);
        Response limited = c.send(WireClient.get("l.test", "/3")).read();
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("retry-after")).isEqualTo("1");
        assertThat(limited.text()).contains("too many requests from 127.0.0.1; retry after 1 s");
        assertThat(limited.header("connection")).as("the connection stays open").isNull();

        assertThat(admitted("127.0.0.2")).isNotNull();
        assertThat(origin.requests()).isEqualTo(3);
    }

    @Test
    void pipelinedRequestsOverTheRateAreAnsweredInOrder() throws Exception {
        startProxy("{ rate_per_ip: 1, burst: 2 }");
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            batch.append(WireClient.get("l.test", "/req/" + i));
        }
        WireClient c = open("127.0.0.1");
        c.send(batch.toString());
        for (int i = 0; i < 2; i++) {
            Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.echoed("uri")).isEqualTo("/req/" + i);
        }
        for (int i = 2; i < 5; i++) {
            assertThat(c.read().status()).as("request %d", i).isEqualTo(429);
        }
        assertThat(origin.requests()).isEqualTo(2);
    }

    /** Whether a connection from {@code address} is admitted within {@code millis}: the gate counts closes late. */
    boolean admittedWithin(String address, long millis) throws IOException, InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
            WireClient c = open(address); // kept open once admitted: it holds the room
            try {
                if (c.send(WireClient.get("l.test", "/")).read().status() == 200) {
                    return true;
                }
            } catch (IOException closed) {
                c.close();
                Thread.sleep(20);
            }
        }
        return false;
    }
}
