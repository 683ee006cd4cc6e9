package dev.sluice.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.config.AccessLogSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A receiver that stops reading, and 100,000 records offered meanwhile: the caller (an event loop)
 * is never held up, what does not fit in the queue is dropped and counted exactly, and a warning
 * says so; once the receiver reads again, everything that was not dropped arrives.
 */
class AccessLogFloodTest {

    private static final int OFFERED = 100_000;
    private static final int QUEUE = 1024;

    @Test
    void aStalledSinkNeverBlocksTheCallerAndEveryDropIsCounted() throws Exception {
        try (SyslogReceiver receiver = SyslogReceiver.tcpNotReading(); LogCapture captured = new LogCapture()) {
            AccessLogSettings tcp = SyslogSinkTest.settings(receiver, "json");
            AccessLog log = AccessLog.open(new AccessLogSettings(null, false, tcp.syslog(), tcp.format(), QUEUE));

            long slowest = 0;
            long started = System.nanoTime();
            for (long id = 0; id < OFFERED; id++) {
                AccessRecord record = Records.numbered(id);
                long before = System.nanoTime();
                log.accept(record);
                slowest = Math.max(slowest, System.nanoTime() - before);
            }
            long total = System.nanoTime() - started;
            long dropped = log.dropped();

            receiver.startReading();
            int received = 0;
            long previous = -1;
            while (received < OFFERED - dropped) {
                String id = SyslogSinkTest.id(receiver.next(Duration.ofSeconds(10)));
                long n = Long.parseLong(id.substring("id-".length()));
                assertThat(n).as("in order, each once").isGreaterThan(previous);
                previous = n;
                received++;
            }
            log.close();

            assertThat(Duration.ofNanos(slowest)).as("the slowest accept").isLessThan(Duration.ofMillis(500));
            assertThat(Duration.ofNanos(total)).as("all accepts").isLessThan(Duration.ofSeconds(5));
            assertThat(dropped).as("the receiver's and the kernel's buffers cannot hold 100,000 records")
                    .isGreaterThan(OFFERED / 2);
            assertThat(receiver.poll(Duration.ofMillis(200))).as("nothing more arrived").isNull();
            assertThat(received + log.dropped()).as("offered = written + dropped").isEqualTo(OFFERED);
            assertThat(log.dropped()).as("no drop after the flood").isEqualTo(dropped);
            assertThat(log.lost()).isZero();
            assertThat(receiver.errors()).isEmpty();
            assertThat(captured.lines()).anySatisfy(line -> assertThat(line)
                    .startsWith("access_log_dropped queue=" + QUEUE + ": records lost: ")
                    .endsWith("the queue is full: the writer falls behind its sinks"));
        }
    }
}
