package dev.sluice.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.config.AccessLogSettings;
import dev.sluice.config.ConfigException;
import dev.sluice.config.ConfigLoader;
import dev.sluice.testing.Seeds;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Syslog over real sockets — UDP, TCP and a unix datagram socket — read back by a strict RFC 5424
 * parser: every record arrives once, in order, with the header the docs promise and the line as
 * MSG, byte for byte.
 */
class SyslogSinkTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long SEED = Long.getLong("sluice.seed", 1);

    @TempDir
    Path dir;

    @Test
    void udpSendsEachRecordAsOneDatagram() throws Exception {
        try (SyslogReceiver receiver = SyslogReceiver.udp()) {
            // UDP drops what the receiver's buffer cannot hold: a few at a time, as a receiver keeps up
            eachRecordArrivesWhole(receiver, "json", 10);
        }
    }

    @Test
    void tcpFramesEachRecordByOctetCounting() throws Exception {
        try (SyslogReceiver receiver = SyslogReceiver.tcp(0)) {
            eachRecordArrivesWhole(receiver, "combined", 200);
            assertThat(receiver.errors()).isEmpty();
        }
    }

    @Test
    void aUnixDatagramSocketGetsEachRecordAsOneDatagram() throws Exception {
        try (SyslogReceiver receiver = SyslogReceiver.unix(dir.resolve("log.sock"))) {
            eachRecordArrivesWhole(receiver, "json", 200); // connected: the kernel holds the sender back
        }
    }

    @Test
    void aLongLineIsCutToOneSafeDatagramOnACharacterBoundary() throws Exception {
        AccessRecord t = Records.typical();
        AccessRecord huge = new AccessRecord(t.startMillis(), t.clientIp(), t.clientPort(), t.method(), t.host(),
                t.target(), t.protocol(), t.status(), t.bytesIn(), t.bytesOut(), t.upstreamBytesOut(),
                t.upstreamBytesIn(), t.route(), t.pool(), t.backend(), t.totalMicros(), t.connectMicros(),
                t.firstByteMicros(), t.termination(), t.requestId(), t.referer(), "é".repeat(10_000));
        for (SyslogReceiver receiver : List.of(SyslogReceiver.udp(), SyslogReceiver.unix(dir.resolve("cut.sock")))) {
            try (receiver) {
                AccessLog log = AccessLog.open(settings(receiver, "json"));
                log.accept(huge);
                byte[] datagram = receiver.next(WAIT);
                log.close();

                assertThat(datagram.length).as(receiver.url()).isBetween(SyslogMessage.MAX_DATAGRAM - 1,
                        SyslogMessage.MAX_DATAGRAM);
                Rfc5424 message = Rfc5424.parse(datagram);
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(message.msg())); // whole characters only
                assertThat(line("json", huge)).startsWith(message.msgText());
            }
        }
    }

    @Test
    void tcpConnectsAgainWhenTheReceiverComesBack() throws Exception {
        int[] port = {0};
        connectsAgainWhenTheReceiverComesBack(() -> {
            SyslogReceiver receiver = SyslogReceiver.tcp(port[0]);
            port[0] = Integer.parseInt(receiver.url().substring(receiver.url().lastIndexOf(':') + 1));
            return receiver;
        });
    }

    @Test
    void aUnixSocketIsConnectedToAgainWhenTheReceiverComesBack() throws Exception {
        Path socket = dir.resolve("restart.sock");
        connectsAgainWhenTheReceiverComesBack(() -> {
            Files.deleteIfExists(socket); // as a restarted journald or rsyslog does
            return SyslogReceiver.unix(socket);
        });
    }

    @FunctionalInterface
    private interface ReceiverStart {
        SyslogReceiver start() throws Exception;
    }

    /** A receiver that goes away and comes back at the same address gets the records sent after. */
    private void connectsAgainWhenTheReceiverComesBack(ReceiverStart receivers) throws Exception {
        SyslogReceiver first = receivers.start();
        String scheme = first.url().substring(0, first.url().indexOf(':'));
        try (LogCapture captured = new LogCapture()) {
            AccessLog log = AccessLog.open(settings(first, "json"));
            log.accept(Records.numbered(0));
            assertThat(id(first.next(WAIT))).isEqualTo("id-0");
            first.close();

            try (SyslogReceiver second = receivers.start()) {
                // Records sent while it was away are lost; keep sending until one gets through.
                long id = 1;
                byte[] arrived = null;
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (arrived == null && System.nanoTime() < deadline) {
                    log.accept(Records.numbered(id++));
                    arrived = second.poll(Duration.ofMillis(50));
                }
                assertThat(arrived).as("a record reached the restarted receiver").isNotNull();
                long firstAfter = id;
                for (long i = firstAfter; i < firstAfter + 50; i++) {
                    log.accept(Records.numbered(i));
                }
                log.close();

                String last = "id-" + (firstAfter + 49);
                List<String> ids = new ArrayList<>();
                while (ids.isEmpty() || !ids.getLast().equals(last)) {
                    ids.add(id(second.next(WAIT)));
                }
                assertThat(ids).as("every record after the reconnection, in order")
                        .endsWith(range(firstAfter, firstAfter + 50));
                assertThat(log.lost()).as("at least the record whose send found the receiver gone").isPositive();
                assertThat(second.errors()).isEmpty();
                assertThat(captured.lines())
                        .anySatisfy(l -> assertThat(l).startsWith("access_log_sink_failed sink=syslog " + scheme))
                        .anySatisfy(l -> assertThat(l).startsWith("access_log_sink_connected sink=syslog " + scheme));
            }
        }
    }

    @Test
    void theHostNameFitsTheHeader() {
        assertThat(SyslogMessage.hostname()).matches("[!-~]{1,255}");
    }

    /** 200 records, sent {@code together} at a time, each read back before the next ones are sent. */
    private void eachRecordArrivesWhole(SyslogReceiver receiver, String format, int together) throws Exception {
        RandomGenerator random = Seeds.random(SEED);
        List<AccessRecord> records = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            AccessRecord n = Records.numbered(i);
            records.add(new AccessRecord(n.startMillis(), n.clientIp(), n.clientPort(), n.method(), n.host(),
                    n.target(), n.protocol(), n.status(), n.bytesIn(), n.bytesOut(), n.upstreamBytesOut(),
                    n.upstreamBytesIn(), n.route(), n.pool(), n.backend(), random.nextLong(0, 100_000_000),
                    n.connectMicros(), n.firstByteMicros(), n.termination(), n.requestId(), Records.text(random),
                    Records.text(random)));
        }
        AccessLog log = AccessLog.open(settings(receiver, format));
        for (int i = 0; i < records.size(); i++) {
            AccessRecord r = records.get(i);
            if (i % together == 0) {
                records.subList(i, Math.min(i + together, records.size())).forEach(log::accept);
            }
            Rfc5424 m = Rfc5424.parse(receiver.next(WAIT));
            assertThat(m.facility()).as("local0").isEqualTo(16);
            assertThat(m.severity()).as("informational").isEqualTo(6);
            assertThat(m.version()).isEqualTo(1);
            assertThat(m.timestamp()).as("when the request ended")
                    .isEqualTo(Instant.ofEpochMilli(r.startMillis() + r.totalMicros() / 1000));
            assertThat(m.hostname()).isEqualTo(SyslogMessage.hostname());
            assertThat(m.appName()).isEqualTo("sluice");
            assertThat(m.procId()).isEqualTo(Long.toString(ProcessHandle.current().pid()));
            assertThat(m.msgId()).isEqualTo("access");
            assertThat(m.structuredData()).isEqualTo("-");
            assertThat(m.msg()).as("seed %d: %s", SEED, r).isEqualTo(line(format, r).getBytes(StandardCharsets.UTF_8));
        }
        log.close();
        assertThat(log.lost()).isZero();
        assertThat(log.dropped()).isZero();
        assertThat(receiver.poll(Duration.ofMillis(100))).as("nothing more").isNull();
    }

    static AccessLogSettings settings(SyslogReceiver receiver, String format) throws ConfigException {
        return ConfigLoader.parse("""
                listen: 127.0.0.1:0
                pools: {}
                access_log:
                  syslog: %s
                  format: %s
                """.formatted(receiver.url(), format), "test.yaml").accessLog();
    }

    private static String line(String format, AccessRecord r) {
        return AccessLogFormatTest.line(AccessLogFormat.of(AccessLogSettings.Format.fromConfigName(format)), r);
    }

    /** The request id in a message's JSON line. */
    static String id(byte[] message) {
        String msg = Rfc5424.parse(message).msgText();
        int at = msg.indexOf("\"request_id\":\"") + "\"request_id\":\"".length();
        return msg.substring(at, msg.indexOf('"', at));
    }

    private static String[] range(long from, long to) {
        return LongStream.range(from, to).mapToObj(i -> "id-" + i).toArray(String[]::new);
    }
}
