package dev.sluice.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.accept.Transport;
import dev.sluice.balance.Backend;
import dev.sluice.balance.Balance;
import dev.sluice.balance.Endpoint;
import dev.sluice.balance.LoadBalancer;
import dev.sluice.config.HealthCheck;
import dev.sluice.config.TransportChoice;
import dev.sluice.route.Pool;
import dev.sluice.route.Route;
import dev.sluice.route.RouteTable;
import dev.sluice.testing.OriginServer;
import dev.sluice.testing.RawServer;
import dev.sluice.testing.RefusingPort;
import dev.sluice.testing.TestProxy;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Active health checks against real backends on loopback, with short intervals. */
class ActiveHealthCheckerTest {

    private static final Duration INTERVAL = Duration.ofMillis(50);
    private static final Duration TIMEOUT = Duration.ofMillis(100);
    /** Room for a loaded machine on top of the time a verdict needs at the most. */
    private static final long SLACK_MILLIS = 700;

    private static final Transport TRANSPORT =
            Transport.choose(TransportChoice.fromConfigName(System.getProperty("sluice.transport", "auto")));
    private static EventLoopGroup loops;

    private final List<AutoCloseable> closeAfter = new ArrayList<>();
    private ActiveHealthChecker checker;

    @BeforeAll
    static void startLoops() {
        loops = new MultiThreadIoEventLoopGroup(2, TRANSPORT.ioHandlerFactory());
    }

    @AfterAll
    static void stopLoops() {
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @AfterEach
    void close() throws Exception {
        if (checker != null) {
            checker.close();
        }
        for (AutoCloseable c : closeAfter) {
            c.close();
        }
    }

    @Test
    void aHealthyBackendStaysUp() {
        OriginServer origin = keep(OriginServer.start("ok"));
        Backend backend = backend(origin.port());
        follow(table("web", check(2, 2), backend));

        await(() -> origin.requests() >= 5, 2000);

        assertThat(backend.state()).isEqualTo(Backend.State.UP);
        assertThat(checker.checked()).isEqualTo(1);
    }

    @Test
    void aBackendAnswering503GoesDownAfterFallChecks() {
        RawServer server = keep(RawServer.start(s -> answer(s, 503)));
        Backend backend = backend(server.port());
        int fall = 3;
        follow(table("web", check(2, fall), backend));

        long millis = await(backend::isDown, INTERVAL.toMillis() * fall + TIMEOUT.toMillis() + SLACK_MILLIS);

        assertThat(server.accepted()).isGreaterThanOrEqualTo(fall);
        // The first check comes within an interval; the fall-th one, (fall - 1) jittered intervals later.
        assertThat(millis).isGreaterThanOrEqualTo((long) (INTERVAL.toMillis() * (fall - 1) * 0.85));
        assertThat(backend.state()).isEqualTo(Backend.State.DOWN);
    }

    @Test
    void aBackendThatNeverAnswersGoesDownByTimeout() {
        RawServer server = keep(RawServer.start(s -> {
            RawServer.readHead(s.getInputStream());
            Thread.sleep(10_000);
        }));
        Backend backend = backend(server.port());
        follow(table("web", check(2, 2), backend));

        // Each check ends at its timeout, and the next starts at once, as the timeout is above the interval.
        await(backend::isDown, INTERVAL.toMillis() + 2 * TIMEOUT.toMillis() + SLACK_MILLIS);
    }

    @Test
    void aClosedPortGoesDown() throws IOException {
        try (RefusingPort refusing = RefusingPort.open()) {
            Backend backend = backend(refusing.port());
            follow(table("web", check(2, 2), backend));

            await(backend::isDown, 2 * INTERVAL.toMillis() + TIMEOUT.toMillis() + SLACK_MILLIS);
        }
    }

    @Test
    void aFixedBackendComesBackUpAfterRisePasses() {
        AtomicInteger status = new AtomicInteger(500);
        RawServer server = keep(RawServer.start(s -> answer(s, status.get())));
        Backend backend = backend(server.port());
        int rise = 3;
        follow(table("web", check(rise, 2), backend));
        await(backend::isDown, 2 * INTERVAL.toMillis() + TIMEOUT.toMillis() + SLACK_MILLIS);

        int before = server.accepted();
        status.set(200);
        await(() -> !backend.isDown(), rise * INTERVAL.toMillis() + TIMEOUT.toMillis() + SLACK_MILLIS);

        // One failure could still be under way when the status changed.
        assertThat(server.accepted() - before).isGreaterThanOrEqualTo(rise);
        assertThat(backend.state()).isEqualTo(Backend.State.UP);
    }

    @Test
    void anAnswerThatIsNotHttpIsAFailure() {
        RawServer server = keep(RawServer.start(s -> {
            RawServer.readHead(s.getInputStream());
            s.getOutputStream().write("SSH-2.0-OpenSSH_9.6\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }));
        Backend backend = backend(server.port());
        follow(table("web", check(2, 2), backend));

        await(backend::isDown, 2 * INTERVAL.toMillis() + TIMEOUT.toMillis() + SLACK_MILLIS);
    }

    @Test
    void theExpectedRangeDecides() {
        RawServer server = keep(RawServer.start(s -> answer(s, 302)));
        Backend redirectsAreFine = backend(server.port());
        Backend only2xx = backend(server.port());
        HealthCheck anyButErrors = check(1, 1);
        follow(new RouteTable(1, List.of(
                route(0, pool("lenient", anyButErrors, redirectsAreFine)),
                route(1, pool("strict", withExpect(anyButErrors, 200, 299), only2xx)))));

        await(only2xx::isDown, INTERVAL.toMillis() + TIMEOUT.toMillis() + SLACK_MILLIS);
        await(() -> server.accepted() >= 6, 2000);
        assertThat(redirectsAreFine.isDown()).isFalse();
    }

    @Test
    void theRequestHasTheConfiguredMethodPathAndHost() {
        AtomicReference<String> head = new AtomicReference<>();
        RawServer server = keep(RawServer.start(s -> {
            head.set(RawServer.readHead(s.getInputStream()));
            respond(s, 200);
        }));
        HealthCheck check = new HealthCheck("HEAD", "/status/ready?full=1", "health.internal", 200, 399, INTERVAL,
                TIMEOUT, 2, 2, 10);
        follow(table("web", check, backend(server.port())));

        await(() -> head.get() != null, 2000);

        assertThat(head.get()).startsWith("HEAD /status/ready?full=1 HTTP/1.1\r\n");
        assertThat(head.get().toLowerCase()).contains("host: health.internal\r\n", "connection: close\r\n",
                "user-agent: sluice-health-check\r\n");
    }

    @Test
    void withoutAHostTheBackendsAuthorityIsTheHost() {
        AtomicReference<String> head = new AtomicReference<>();
        RawServer server = keep(RawServer.start(s -> {
            head.set(RawServer.readHead(s.getInputStream()));
            respond(s, 200);
        }));
        follow(table("web", check(2, 2), backend(server.port())));

        await(() -> head.get() != null, 2000);

        assertThat(head.get()).startsWith("GET /healthz HTTP/1.1\r\n");
        assertThat(head.get().toLowerCase()).contains("host: 127.0.0.1:" + server.port() + "\r\n");
    }

    @Test
    void aBackendRemovedFromTheTableIsNoLongerChecked() throws InterruptedException {
        RawServer server = keep(RawServer.start(s -> answer(s, 200)));
        follow(table("web", check(2, 2), backend(server.port())));
        await(() -> server.accepted() >= 2, 2000);

        checker.follow(RouteTable.empty());
        Thread.sleep(100); // a check under way may still connect
        int after = server.accepted();
        Thread.sleep(5 * INTERVAL.toMillis());

        assertThat(server.accepted()).isEqualTo(after);
        assertThat(checker.checked()).isZero();
    }

    @Test
    void aPoolWithoutHealthCheckIsNotChecked() throws InterruptedException {
        RawServer server = keep(RawServer.start(s -> answer(s, 200)));
        follow(table("web", null, backend(server.port())));

        Thread.sleep(5 * INTERVAL.toMillis());

        assertThat(server.accepted()).isZero();
        assertThat(checker.checked()).isZero();
    }

    @Test
    void aDownBackendWhoseCheckIsRemovedIsMarkedUp() {
        RawServer server = keep(RawServer.start(s -> answer(s, 503)));
        Backend backend = backend(server.port());
        follow(table("web", check(2, 1), backend));
        await(backend::isDown, INTERVAL.toMillis() + TIMEOUT.toMillis() + SLACK_MILLIS);

        checker.follow(table("web", null, backend));

        await(() -> !backend.isDown(), 1000);
    }

    @Test
    void changedSettingsRestartTheCheckAndKeepTheVerdict() {
        AtomicReference<String> path = new AtomicReference<>();
        RawServer server = keep(RawServer.start(s -> {
            String head = RawServer.readHead(s.getInputStream());
            path.set(head.substring(head.indexOf(' ') + 1, head.indexOf(" HTTP/")));
            respond(s, head.contains("/healthz ") ? 503 : 200);
        }));
        Backend backend = backend(server.port());
        follow(table("web", check(3, 1), backend));
        await(backend::isDown, INTERVAL.toMillis() + TIMEOUT.toMillis() + SLACK_MILLIS);

        HealthCheck ready = new HealthCheck("GET", "/ready", null, 200, 399, INTERVAL, TIMEOUT, 3, 1, 10);
        checker.follow(table("web", ready, backend));

        await(() -> "/ready".equals(path.get()), 1000);
        assertThat(backend.isDown()).as("down until rise passes of the new check").isTrue();
        await(() -> !backend.isDown(), 3 * INTERVAL.toMillis() + TIMEOUT.toMillis() + SLACK_MILLIS);
        assertThat(checker.checked()).isEqualTo(1);
    }

    @Test
    void aPassEndsAnOutlierEjection() {
        OriginServer origin = keep(OriginServer.start("ok"));
        Backend backend = backend(origin.port());
        backend.ejectUntil(System.nanoTime() + TimeUnit.HOURS.toNanos(1));
        assertThat(backend.state()).isEqualTo(Backend.State.EJECTED);

        follow(table("web", check(2, 2), backend));

        await(() -> backend.state() == Backend.State.UP, INTERVAL.toMillis() + TIMEOUT.toMillis() + SLACK_MILLIS);
    }

    @Test
    void theServerChecksThePoolsOfItsConfig() {
        OriginServer origin = keep(OriginServer.start("sick", Map.of("/healthz", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        })));
        try (TestProxy proxy = TestProxy.start("""
                listen: 127.0.0.1:0
                pools:
                  web:
                    backends: [127.0.0.1:%d]
                    health_check: { path: /healthz, interval: 50ms, timeout: 100ms, fall: 2 }
                routes: [ { pool: web } ]
                """.formatted(origin.port()))) {
            Backend backend = proxy.control().table().backends().values().iterator().next();

            await(backend::isDown, 2 * INTERVAL.toMillis() + TIMEOUT.toMillis() + SLACK_MILLIS);
        }
    }

    // --- helpers

    private static HealthCheck check(int rise, int fall) {
        return new HealthCheck("GET", "/healthz", null, 200, 399, INTERVAL, TIMEOUT, rise, fall, 10);
    }

    private static HealthCheck withExpect(HealthCheck c, int min, int max) {
        return new HealthCheck(c.method(), c.path(), c.host(), min, max, c.interval(), c.timeout(), c.rise(), c.fall(),
                c.jitterPercent());
    }

    private static Backend backend(int port) {
        return Backend.resolve(Endpoint.of("127.0.0.1", port));
    }

    private static Pool pool(String name, HealthCheck check, Backend... backends) {
        List<Backend> list = List.of(backends);
        return new Pool(name, Balance.ROUND_ROBIN, LoadBalancer.roundRobin(list),
                PoolGuard.builder(list).healthCheck(check).build());
    }

    private static Route route(int index, Pool pool) {
        return new Route(index, null, "/", pool);
    }

    private static RouteTable table(String pool, HealthCheck check, Backend... backends) {
        return new RouteTable(1, List.of(route(0, pool(pool, check, backends))));
    }

    private void follow(RouteTable table) {
        checker = ActiveHealthChecker.start(loops, TRANSPORT.socketChannel());
        checker.follow(table);
    }

    private <T extends AutoCloseable> T keep(T closeable) {
        closeAfter.add(closeable);
        return closeable;
    }

    /** Reads one request and answers it with {@code status}. */
    private static void answer(Socket socket, int status) throws IOException {
        RawServer.readHead(socket.getInputStream());
        respond(socket, status);
    }

    /** Writes a response with {@code status} and an empty body. */
    private static void respond(Socket socket, int status) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("HTTP/1.1 " + status + " X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Waits for {@code condition}; fails after {@code limitMillis}; returns the milliseconds it took. */
    private static long await(BooleanSupplier condition, long limitMillis) {
        long start = System.nanoTime();
        while (!condition.getAsBoolean()) {
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(elapsed).as("waited for the condition").isLessThan(limitMillis);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
