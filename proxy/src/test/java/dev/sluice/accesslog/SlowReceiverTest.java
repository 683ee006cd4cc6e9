package dev.sluice.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.OriginServer;
import dev.sluice.testing.PrometheusText;
import dev.sluice.testing.TestProxy;
import dev.sluice.testing.WireClient;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A proxy whose syslog receiver stops reading: requests go on being served without waiting for the
 * log, and the records that do not fit are dropped and counted where an operator sees them — the
 * metrics and a warning — never silently.
 */
class SlowReceiverTest {

    private static final int CLIENTS = 4;
    private static final int REQUESTS = 500;
    /** Long lines, so that 2,000 of them are more than the socket buffers before the receiver hold. */
    private static final String REQUEST = "GET /bytes/100 HTTP/1.1\r\nHost: flood.test\r\nUser-Agent: "
            + "x".repeat(8000) + "\r\n\r\n";

    @Test
    void requestsAreServedAtOnceAndDroppedRecordsAreCounted() throws Exception {
        try (SyslogReceiver receiver = SyslogReceiver.tcpNotReading(); LogCapture captured = new LogCapture();
                OriginServer origin = OriginServer.start("o");
                TestProxy proxy = TestProxy.start("""
                        listen: 127.0.0.1:0
                        pools: { web: { backends: [127.0.0.1:%d] } }
                        routes: [ { pool: web } ]
                        access_log: { syslog: %s, queue: 16 }
                        """.formatted(origin.port(), receiver.url()));
                ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Long>> slowest = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                slowest.add(clients.submit(() -> {
                    long worst = 0;
                    try (WireClient c = new WireClient(proxy.port())) {
                        for (int r = 0; r < REQUESTS; r++) {
                            long start = System.nanoTime();
                            assertThat(c.send(REQUEST).read().status())
                                    .isEqualTo(200);
                            worst = Math.max(worst, System.nanoTime() - start);
                        }
                    }
                    return worst;
                }));
            }
            for (Future<Long> f : slowest) {
                // A data path that waited for the stalled receiver would wait its 10 s timeout.
                assertThat(Duration.ofNanos(f.get())).as("the slowest request").isLessThan(Duration.ofSeconds(2));
            }

            ByteArrayOutputStream text = new ByteArrayOutputStream();
            proxy.metrics().writeText(text);
            double dropped = PrometheusText.parse(text.toString()).value("sluice_access_log_dropped_records_total");
            assertThat(dropped).as("records dropped, counted").isPositive();
            assertThat(captured.lines()).anySatisfy(line -> assertThat(line).startsWith("access_log_dropped"));
        }
    }
}
