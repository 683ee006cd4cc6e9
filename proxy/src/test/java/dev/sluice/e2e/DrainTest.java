package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.testing.RawServer;
import dev.sluice.testing.TestProxy;
import dev.sluice.testing.WireClient;
import dev.sluice.testing.WireClient.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Shutdown lets requests in flight finish, closes idle connections and stops accepting. */
class DrainTest {

    @Test
    void drainFinishesInFlightRequestsAndRefusesNewConnections() throws Exception {
        CountDownLatch requested = new CountDownLatch(1);
        try (RawServer slow = RawServer.start(s -> {
                    RawServer.readHead(s.getInputStream());
                    requested.countDown();
                    Thread.sleep(700); // still working when the drain starts
                    OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Thread.sleep(5000);
                });
                TestProxy proxy = TestProxy.toOne(slow.port());
                WireClient busy = new WireClient(proxy.port());
                WireClient idle = new WireClient(proxy.port())) {
            int port = proxy.port();
            busy.send(WireClient.get("d.test", "/slow"));
            assertThat(requested.await(5, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> proxy.drain(Duration.ofSeconds(10)));
            Response r = busy.read();
            assertThat(r.text()).isEqualTo("done");
            assertThat(r.header("connection")).isEqualTo("close");
            assertThat(busy.closedByPeer()).isTrue();
            assertThat(idle.closedByPeer()).isTrue();
            assertThat(drained.get(10, TimeUnit.SECONDS)).as("drained before the deadline").isTrue();
            assertThatThrownBy(() -> new WireClient(port).close()).isInstanceOf(IOException.class);
        }
    }

    @Test
    void drainGivesUpAtTheDeadline() throws Exception {
        try (RawServer never = RawServer.start(s -> {
                    RawServer.readHead(s.getInputStream());
                    Thread.sleep(30_000);
                });
                TestProxy proxy = TestProxy.toOne(never.port());
                WireClient c = new WireClient(proxy.port())) {
            c.send(WireClient.get("d.test", "/"));
            Thread.sleep(200);
            long t0 = System.nanoTime();
            assertThat(proxy.drain(Duration.ofMillis(500))).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            assertThat(c.closedByPeer()).isTrue();
        }
    }
}
