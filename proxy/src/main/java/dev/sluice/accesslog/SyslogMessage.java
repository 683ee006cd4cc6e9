package dev.sluice.accesslog;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ⑦ An access log line as an RFC 5424 syslog message:
 *
 * <pre>&lt;134&gt;1 2026-11-24T08:15:07.128Z web-1 sluice 4242 access - MSG</pre>
 *
 * <p>Facility local0 and severity informational (PRI 134), version 1, the time the request ended
 * (its start plus its duration) in UTC, this machine's host name, app {@code sluice}, the process
 * id, message id {@code access}, no structured data, and the line as MSG. MSG has no byte order
 * mark: it is RFC 5424's MSG-ANY, and a mark would show up as noise in most tools.
 */
final class SyslogMessage {

    private static final Logger log = LoggerFactory.getLogger(AccessLog.class);

    /** local0 (16) × 8 + informational (6), RFC 5424 §6.2.1. */
    static final int PRI = 16 * 8 + 6;
    /** The most a datagram carries, header included: receivers such as rsyslog take 8 KiB by default. */
    static final int MAX_DATAGRAM = 8192;
    private static final int MAX_HOSTNAME = 255;

    private final byte[] afterTime;

    /**
     * @param hostname printable ASCII without spaces, at most 255 characters (RFC 5424 §6.2.4)
     * @param pid the process id
     */
    SyslogMessage(String hostname, long pid) {
        afterTime = (" " + hostname + " sluice " + pid + " access - ").getBytes(StandardCharsets.US_ASCII);
    }

    /** This process on this machine. */
    static SyslogMessage local() {
        return new SyslogMessage(hostname(), ProcessHandle.current().pid());
    }

    /**
     * The kernel's host name, as rsyslog and journald use: gethostname(2) on Linux, which does not
     * ask DNS. Elsewhere the JDK's local host name. {@code -} (RFC 5424's nil) when it is unknown or
     * not valid in a header.
     */
    static String hostname() {
        String name;
        try {
            name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException notLinux) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                notLinux.addSuppressed(e);
                log.warn(
                        "access_log_hostname_unknown: syslog messages name no host (-): {}", notLinux.toString());
                return "-";
            }
        }
        boolean valid = !name.isEmpty() && name.length() <= MAX_HOSTNAME
                && name.chars().allMatch(c -> c > ' ' && c < 0x7f);
        return valid ? name : "-";
    }

    /**
     * Appends the message for line {@code i} of {@code batch}: at most {@code limit} bytes, cutting
     * MSG short (never inside a UTF-8 sequence) when it must.
     */
    void append(Batch batch, int i, LineBuffer out, int limit) {
        int start = out.length();
        out.put('<').decimal(PRI).ascii(">1 ");
        AccessRecord r = batch.record(i);
        Rfc3339.append(r.startMillis() + Math.max(0, r.totalMicros()) / 1000, out);
        out.put(afterTime, 0, afterTime.length);
        int room = limit - (out.length() - start);
        int from = batch.start(i);
        int to = batch.end(i);
        if (to - from > room) {
            byte[] text = batch.text().array();
            to = from + Math.max(0, room);
            while (to > from && (text[to] & 0xc0) == 0x80) { // text[to] continues a sequence: cut before its start
                to--;
            }
        }
        out.put(batch.text().array(), from, to);
    }
}
