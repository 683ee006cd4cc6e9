package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.OriginServer;
import dev.sluice.testing.RawServer;
import dev.sluice.testing.WireClient;
import dev.sluice.testing.WireClient.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands an operator types, each run as its own process. */
class CliTest {

    @TempDir
    Path dir;

    static int freePort() throws IOException {
        return freePorts(1)[0];
    }

    /** {@code n} distinct free ports: all held open until all are found. */
    static int[] freePorts(int n) throws IOException {
        ServerSocket[] held = new ServerSocket[n];
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                held[i] = new ServerSocket(0);
                ports[i] = held[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : held) {
                if (s != null) {
                    s.close();
                }
            }
        }
    }

    @Test
    void checkAcceptsAGoodConfig() throws Exception {
        Path file = Files.writeString(dir.resolve("good.yaml"), """
                listen: 127.0.0.1:8080
                pools:
                  apps: { backends: [127.0.0.1:9001] }
                routes:
                  - pool: apps
                """);
        try (SluiceProcess p = SluiceProcess.start("check", "--config", file.toString())) {
            assertThat(p.await()).isZero();
            assertThat(p.output()).contains(file + ": OK (1 pools, 1 routes, listen 127.0.0.1:8080)");
        }
    }

    @Test
    void checkNamesTheFileLineAndKeyOfEachProblem() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.yaml"), """
                listen: 127.0.0.1:8080
                pools:
                  apps:
                    backends: [127.0.0.1:9001]
                    balanse: round_robin
                routes:
                  - pool: nowhere
                """);
        try (SluiceProcess p = SluiceProcess.start("check", "--config", file.toString())) {
            assertThat(p.await()).isEqualTo(1);
            assertThat(p.output())
                    .contains(file + ":5: pools.apps.balanse: unknown key; did you mean \"balance\"?")
                    .contains(file + ":7: routes[0].pool:");
        }
    }

    @Test
    void serveRefusesToStartOnABadConfig() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.yaml"), "listen: [oops\n");
        try (SluiceProcess p = SluiceProcess.start("serve", "--config", file.toString())) {
            assertThat(p.await()).isEqualTo(1);
            assertThat(p.output()).contains(file + ":").contains("not started");
        }
    }

    @Test
    void serveSaysWhenItsPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            Path file = Files.writeString(dir.resolve("s.yaml"), """
                    listen: 127.0.0.1:%d
                    pools: { a: { backends: [127.0.0.1:9] } }
                    routes: [ { pool: a } ]
                    """.formatted(taken.getLocalPort()));
            try (SluiceProcess p = SluiceProcess.start("serve", "--config", file.toString())) {
                assertThat(p.await()).isEqualTo(1);
                assertThat(p.output()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort());
            }
        }
    }

    @Test
    void sigtermLetsTheRequestInFlightFinishThenExitsZero() throws Exception {
        CountDownLatch requested = new CountDownLatch(1);
        try (RawServer slow = RawServer.start(s -> {
                    RawServer.readHead(s.getInputStream());
                    requested.countDown();
                    Thread.sleep(800);
                    OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nfinished".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                })) {
            int port = freePort();
            Path file = Files.writeString(dir.resolve("s.yaml"), """
                    listen: 127.0.0.1:%d
                    shutdown_timeout: 10s
                    pools: { a: { backends: [127.0.0.1:%d] } }
                    routes: [ { pool: a } ]
                    """.formatted(port, slow.port()));
            try (SluiceProcess p = SluiceProcess.start("serve", "--config", file.toString())) {
                p.awaitOutput("listening on", Duration.ofSeconds(20));
                try (WireClient c = new WireClient(port)) {
                    c.send(WireClient.get("a.test", "/"));
                    assertThat(requested.await(10, TimeUnit.SECONDS)).isTrue();
                    p.terminate();
                    Response r = c.read();
                    assertThat(r.text()).isEqualTo("finished");
                    assertThat(r.header("connection")).isEqualTo("close");
                }
                assertThat(p.await()).isZero();
                assertThat(p.output()).contains("draining").contains("stopped");
            }
        }
    }

    @Test
    void sighupReloadsTheConfigAndKeepsServing() throws Exception {
        try (OriginServer a = OriginServer.start("a"); OriginServer b = OriginServer.start("b")) {
            int port = freePort();
            Path file = Files.writeString(dir.resolve("s.yaml"), """
                    listen: 127.0.0.1:%d
                    pools: { p: { backends: [127.0.0.1:%d] } }
                    routes: [ { pool: p } ]
                    """.formatted(port, a.port()));
            try (SluiceProcess p = SluiceProcess.start("serve", "--config", file.toString());
                    WireClient c = awaitListening(p, port)) {
                assertThat(c.send(WireClient.get("x.test", "/")).read().header("x-origin")).isEqualTo("a");
                p.hangup();
                p.awaitOutput("route table version 2 published", Duration.ofSeconds(10));
                assertThat(p.output()).contains("SIGHUP: reloading the config");
                assertThat(c.send(WireClient.get("x.test", "/")).read().header("x-origin")).isEqualTo("a");
            }
        }
    }

    private static WireClient awaitListening(SluiceProcess p, int port) throws Exception {
        p.awaitOutput("listening on", Duration.ofSeconds(20));
        return new WireClient(port);
    }

    @Test
    void trainRunsTheWholeProxyThroughAShortWorkloadAndExits() throws Exception {
        // What the launcher records its start-up cache from: it must end by itself, cleanly.
        try (SluiceProcess p = SluiceProcess.start("train")) {
            assertThat(p.await()).as(p.output()).isZero();
            assertThat(p.output()).contains("listening on").doesNotContain("ERROR");
        }
    }

    @Test
    void demoServesTheThreeBalancingIdeasAndTakesLiveChanges() throws Exception {
        int[] ports = freePorts(2);
        int port = ports[0];
        int adminPort = ports[1];
        try (SluiceProcess p = SluiceProcess.start("demo", "--port", String.valueOf(port),
                "--admin-port", String.valueOf(adminPort))) {
            p.awaitOutput("Ctrl-C stops the demo", Duration.ofSeconds(20));
            assertThat(p.output()).contains("curl -s http://127.0.0.1:" + port + "/")
                    .contains("Host: $h.apps.localhost").contains("Host: api.localhost")
                    .contains("http://127.0.0.1:" + adminPort + "/dashboard");
            try (WireClient dashboard = new WireClient(adminPort)) {
                assertThat(dashboard.send(WireClient.get("127.0.0.1", "/dashboard")).read().status()).isEqualTo(200);
            }
            Matcher put = Pattern
                    .compile("curl -s -X PUT -H 'Authorization: Bearer (\\S+)' \\S+/backends/127.0.0.1:(\\d+)")
                    .matcher(p.output());
            assertThat(put.find()).as(p.output()).isTrue();
            try (WireClient c = new WireClient(port)) {
                String first = c.send(WireClient.get("127.0.0.1", "/")).read().text();
                String second = c.send(WireClient.get("127.0.0.1", "/")).read().text();
                assertThat(first).startsWith("backend ");
                assertThat(second.substring(0, 9)).isNotEqualTo(first.substring(0, 9)); // round robin: A then B
                String shop = c.send(WireClient.get("shop.apps.localhost", "/")).read().text();
                assertThat(c.send(WireClient.get("shop.apps.localhost", "/")).read().text()).isEqualTo(shop);
                Response api = c.send(WireClient.get("api.localhost", "/v1/users")).read();
                assertThat(api.status()).isEqualTo(200);
                assertThat(api.text()).contains("answered GET /v1/users for Host api.localhost");

                // the printed admin call adds backend C, and traffic reaches it
                try (WireClient admin = new WireClient(adminPort)) {
                    Response added = admin.send("PUT /api/pools/web/backends/127.0.0.1:" + put.group(2)
                            + " HTTP/1.1\r\nHost: admin\r\nAuthorization: Bearer " + put.group(1)
                            + "\r\nContent-Length: 0\r\n\r\n").read();
                    assertThat(added.status()).as(added.text()).isEqualTo(201);
                }
                Set<String> seen = new HashSet<>();
                for (int i = 0; i < 3; i++) {
                    seen.add(c.send(WireClient.get("127.0.0.1", "/")).read().text().substring(0, 9));
                }
                assertThat(seen).contains("backend C");
            }
            p.terminate();
            assertThat(p.await()).isZero();
        }
    }

    @Test
    void versionAndHelp() throws Exception {
        try (SluiceProcess p = SluiceProcess.start("--version")) {
            assertThat(p.await()).isZero();
            assertThat(p.output()).startsWith("sluice ").contains("Java 25");
        }
        try (SluiceProcess p = SluiceProcess.start("--help")) {
            assertThat(p.await()).isZero();
            assertThat(p.output()).contains("serve").contains("check").contains("demo");
        }
    }

    @Test
    void unknownOptionIsAClearError() throws Exception {
        try (SluiceProcess p = SluiceProcess.start("serve", "--config", "x.yaml", "--bogus")) {
            assertThat(p.await()).isEqualTo(2);
            assertThat(p.output()).contains("Unknown option: '--bogus'");
        }
    }

}
