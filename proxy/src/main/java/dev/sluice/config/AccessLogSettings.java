package dev.sluice.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Locale;

/**
 * ⑦ Where the access log goes ({@code access_log:}, docs/access-log.md): a file or standard output,
 * a syslog receiver, or both; in which format; how many records may wait for the writer.
 *
 * @param file the file to append to; {@code null}: none
 * @param stdout whether lines go to standard output ({@code path: stdout})
 * @param syslog the syslog receiver; {@code null}: none
 * @param format how a record is written
 * @param queue records that may wait for the writer; past that, new ones are dropped and counted
 */
public record AccessLogSettings(Path file, boolean stdout, Syslog syslog, Format format, int queue) {

    public static final int DEFAULT_QUEUE = 65_536;
    /** At up to about 1 KiB a record, a full queue of this many holds about 1 GiB. */
    public static final int MAX_QUEUE = 1 << 20;

    /** No access log: what a config without {@code access_log} has. */
    public static final AccessLogSettings NONE = new AccessLogSettings(null, false, null, Format.JSON, DEFAULT_QUEUE);

    public AccessLogSettings {
        requireNonNull(format, "format");
        if (file != null && stdout) {
            throw new IllegalArgumentException("a file and stdout: the config has one path");
        }
        if (queue < 1 || queue > MAX_QUEUE) {
            throw new IllegalArgumentException("queue " + queue + " is out of range 1-" + MAX_QUEUE);
        }
    }

    /** Whether anything is written at all. */
    public boolean enabled() {
        return file != null || stdout || syslog != null;
    }

    /** This with {@code file} in place of its own, e.g. resolved against the config's directory. */
    public AccessLogSettings withFile(Path file) {
        return new AccessLogSettings(file, stdout, syslog, format, queue);
    }

    /** How a record becomes a line. */
    public enum Format {
        /** One JSON object per line. */
        JSON,
        /** Apache's combined log format. */
        COMBINED;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The format called {@code name} in config, or {@code null}. */
        public static Format fromConfigName(String name) {
            for (Format f : values()) {
                if (f.configName().equals(name)) {
                    return f;
                }
            }
            return null;
        }
    }

    /** A syslog receiver (RFC 5424 messages): {@code udp://}, {@code tcp://} or {@code unix://}. */
    public sealed interface Syslog {

        /** One datagram per record (RFC 5426). */
        record Udp(HostPort address) implements Syslog {
            public Udp {
                requireNonNull(address, "address");
            }
        }

        /** A stream with octet-counting framing (RFC 6587 §3.4.1). */
        record Tcp(HostPort address) implements Syslog {
            public Tcp {
                requireNonNull(address, "address");
            }
        }

        /** One datagram per record to a local socket such as {@code /dev/log}. */
        record Unix(Path socket) implements Syslog {
            public Unix {
                requireNonNull(socket, "socket");
            }
        }
    }
}
