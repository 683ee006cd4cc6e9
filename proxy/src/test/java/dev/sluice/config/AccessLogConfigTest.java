package dev.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.config.AccessLogSettings.Format;
import dev.sluice.config.AccessLogSettings.Syslog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code access_log} section: its keys, defaults and every way it can be wrong. */
class AccessLogConfigTest {

    private static final String BASE = """
            listen: 127.0.0.1:8080
            pools: { a: { backends: [127.0.0.1:9001] } }
            """;

    @Test
    void withoutTheSectionThereIsNoAccessLog() throws ConfigException {
        AccessLogSettings settings = load(BASE);

        assertThat(settings).isEqualTo(AccessLogSettings.NONE);
        assertThat(settings.enabled()).isFalse();
        assertThat(load(BASE + "access_log:\n")).as("empty means not set").isEqualTo(AccessLogSettings.NONE);
    }

    @Test
    void aFileWithTheDefaults() throws ConfigException {
        assertThat(load(BASE + "access_log:\n  path: /var/log/sluice/access.log\n"))
                .isEqualTo(new AccessLogSettings(Path.of("/var/log/sluice/access.log"), false, null, Format.JSON,
                        AccessLogSettings.DEFAULT_QUEUE));
    }

    @Test
    void everyKey() throws ConfigException {
        assertThat(load(BASE + """
                access_log:
                  path: stdout
                  format: combined
                  syslog: "udp://[::1]:514"
                  queue: 1024
                """)).isEqualTo(new AccessLogSettings(null, true, new Syslog.Udp(new HostPort("::1", 514)),
                Format.COMBINED, 1024));
    }

    @Test
    void theThreeSyslogTransports() throws ConfigException {
        assertThat(load(BASE + "access_log: {syslog: udp://logs.internal:514}\n").syslog())
                .isEqualTo(new Syslog.Udp(new HostPort("logs.internal", 514)));
        assertThat(load(BASE + "access_log: {syslog: tcp://10.0.0.9:601}\n").syslog())
                .isEqualTo(new Syslog.Tcp(new HostPort("10.0.0.9", 601)));
        assertThat(load(BASE + "access_log: {syslog: unix:///dev/log}\n").syslog())
                .isEqualTo(new Syslog.Unix(Path.of("/dev/log")));
        assertThat(load(BASE + "access_log: {syslog: unix:///dev/log}\n").file()).isNull();
    }

    @Test
    void aRelativePathIsRelativeToTheConfigFile(@TempDir Path dir) throws ConfigException, IOException {
        Path file = Files.writeString(dir.resolve("sluice.yaml"), BASE + "access_log: {path: logs/access.log}\n");

        assertThat(ConfigLoader.load(file).accessLog().file()).isEqualTo(dir.resolve("logs/access.log"));
    }

    @Test
    void everyProblemNamesItsLineAndKey() {
        assertThat(problems(BASE + """
                access_log:
                  path: [a, b]
                  format: xml
                  syslog: udp://logs.internal
                  queue: 0
                  colour: blue
                """)).containsExactly(
                "sluice.yaml:4: access_log.path: expected a file system path, got a list",
                "sluice.yaml:5: access_log.format: expected one of json, combined, got \"xml\"",
                "sluice.yaml:6: access_log.syslog: \"logs.internal\" is not an address: expected host:port",
                "sluice.yaml:7: access_log.queue: expected a whole number 1-1048576, got 0",
                "sluice.yaml:8: access_log.colour: unknown key; expected one of path, format, syslog, queue");
    }

    @Test
    void syslogMustBeAKnownTransportWithAPortOrAnAbsoluteSocketPath() {
        assertThat(problems(BASE + "access_log: {syslog: logs.internal:514}\n")).containsExactly(
                "sluice.yaml:3: access_log.syslog: expected udp://host:port, tcp://host:port or unix:///path/of/socket,"
                        + " got \"logs.internal:514\"");
        assertThat(problems(BASE + "access_log: {syslog: \"tcp://10.0.0.9:99999\"}\n")).containsExactly(
                "sluice.yaml:3: access_log.syslog: \"10.0.0.9:99999\" is not an address: port 99999 is out of range"
                        + " 1-65535");
        assertThat(problems(BASE + "access_log: {syslog: unix://dev/log}\n")).containsExactly(
                "sluice.yaml:3: access_log.syslog: \"unix://dev/log\" needs an absolute path after unix://, e.g."
                        + " unix:///dev/log");
        String longPath = "/run/" + "x".repeat(103);
        assertThat(problems(BASE + "access_log: {syslog: unix://" + longPath + "}\n")).containsExactly(
                "sluice.yaml:3: access_log.syslog: \"" + longPath + "\" is longer than 107 bytes, the most a unix"
                        + " socket address holds");
    }

    @Test
    void aSectionWithNowhereToWriteIsAnError() {
        assertThat(problems(BASE + "access_log:\n  format: combined\n")).containsExactly(
                "sluice.yaml:4: access_log: expected path, syslog or both: without them the log goes nowhere"
                        + " (leave access_log out for no access log)");
        assertThat(problems(BASE + "access_log: {path: \"\"}\n")).containsExactly(
                "sluice.yaml:3: access_log.path: expected a file path or stdout, got \"\"");
        assertThat(problems(BASE + "access_log: stdout\n")).containsExactly(
                "sluice.yaml:3: access_log: expected a mapping of path, format, syslog, queue, got \"stdout\"");
    }

    @Test
    void theFormatSuggestsTheNearestName() {
        assertThat(problems(BASE + "access_log: {path: stdout, format: jsn}\n")).containsExactly(
                "sluice.yaml:3: access_log.format: expected one of json, combined, got \"jsn\"; did you mean \"json\"?");
    }

    private static AccessLogSettings load(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, "sluice.yaml").accessLog();
    }

    private static List<String> problems(String yaml) {
        try {
            ConfigLoader.parse(yaml, "sluice.yaml");
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigException.Problem::toString).toList();
        }
        throw new AssertionError("expected problems in:\n" + yaml);
    }
}
