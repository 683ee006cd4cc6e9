package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.testing.Bytes;
import dev.sluice.testing.RandomRequests;
import dev.sluice.testing.Seeds;
import dev.sluice.testing.TestProxy;
import dev.sluice.testing.WireClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * Seeded random requests, and mutations of them, through a real proxy to a real origin. Valid
 * requests arrive as sent; every mutated one is answered or refused cleanly and its connection
 * ends — nothing hangs, nothing fails inside the proxy — and the origin completes no request the
 * client did not get a response to: none was smuggled.
 */
class ParserFuzzTest {

    /** Statuses a request may get: the origin's 200, or a refusal by the proxy. */
    private static final Set<Integer> CLEAN = Set.of(200, 400, 408, 413, 414, 431, 501, 505);

    private HttpServer origin;
    private TestProxy proxy;
    private final AtomicInteger completed = new AtomicInteger();
    private final ListAppender<ILoggingEvent> errors = new ListAppender<>();

    static LongStream seeds() {
        return Seeds.seeds(12);
    }

    @BeforeEach
    void start() throws IOException {
        // An origin of its own: every path is echoed and counted, whatever a mutation made of it.
        origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        origin.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        origin.createContext("/", this::echo);
        origin.start();
        // Short client timeouts, so a request cut short ends its connection soon.
        proxy = TestProxy.start("""
                listen: 127.0.0.1:0
                pools: { only: { backends: [127.0.0.1:%d] } }
                routes: [ { pool: only } ]
                timeouts: { header: 1s, body: 1s, keep_alive: 1s }
                """.formatted(origin.getAddress().getPort()));
        errors.start();
        root().addAppender(errors);
    }

    @AfterEach
    void stop() {
        root().detachAppender(errors);
        proxy.close();
        origin.stop(0);
        ((ExecutorService) origin.getExecutor()).shutdownNow();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void validRequestsArriveAsSentEvenPipelined(long seed) throws Exception {
        RandomRequests requests = new RandomRequests(Seeds.random(seed));
        List<RandomRequests.Request> sent = new ArrayList<>();
        try (WireClient client = new WireClient(proxy.port())) {
            for (int i = 0; i < 20; i++) {
                RandomRequests.Request r = requests.next("/fuzz/");
                sent.add(r);
                client.send(r.wire());
            }
            for (RandomRequests.Request r : sent) {
                WireClient.Response response = client.read();
                String echo = response.text();
                assertThat(response.status()).as("seed %d: %s", seed, echo).isEqualTo(200);
                assertThat(echo).as("seed %d", seed).startsWith("method: " + r.method() + "\nuri: " + r.target() + "\n");
                r.fields().forEach((name, value) ->
                        assertThat(echo).as("seed %d", seed).contains("\nheader: " + name + ": " + value + "\n"));
                assertThat(echo).as("seed %d", seed).endsWith("\nbody: " + r.body().length + " "
                        + HexFormat.of().formatHex(Bytes.sha256().digest(r.body())) + "\n");
            }
        }
        assertThat(errors.list).as("errors inside the proxy").noneMatch(e -> e.getLevel() == Level.ERROR);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void mutatedRequestsAreAnsweredOrRefusedAndNothingIsSmuggled(long seed) throws Exception {
        RandomGenerator random = Seeds.random(seed);
        RandomRequests requests = new RandomRequests(random);
        List<byte[]> cases = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] wire = requests.next("/fuzz/").wire();
            // Sometimes a valid request first, so a bad one follows a good one on the connection.
            byte[] mutated = requests.mutate(wire);
            cases.add(random.nextInt(4) == 0 ? concat(requests.next("/fuzz/").wire(), mutated) : mutated);
        }
        int ok = 0;
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<Integer>>> outcomes = new ArrayList<>();
            for (byte[] c : cases) {
                outcomes.add(clients.submit(() -> statuses(c)));
            }
            for (int i = 0; i < cases.size(); i++) {
                List<Integer> statuses = outcomes.get(i).get();
                assertThat(statuses).as("seed %d, case %d:\n%s", seed, i,
                        new String(cases.get(i), StandardCharsets.ISO_8859_1)).isSubsetOf(CLEAN);
                ok += (int) statuses.stream().filter(s -> s == 200).count();
            }
        }
        assertThat(completed.get()).as("seed %d: requests the origin completed, against 200s relayed", seed)
                .isEqualTo(ok);
        assertThat(errors.list).as("errors inside the proxy").noneMatch(e -> e.getLevel() == Level.ERROR);
    }

    /** Sends {@code request} on a connection of its own; the statuses of the responses until the proxy closes it. */
    private List<Integer> statuses(byte[] request) throws IOException {
        List<Integer> statuses = new ArrayList<>();
        try (WireClient client = new WireClient(proxy.port())) {
            client.socket().setSoTimeout(8_000); // the proxy's timeouts are 1 s: longer is a hang
            try {
                client.send(request);
            } catch (SocketException refusedEarly) {
                // The proxy refused the head and closed before the rest was written: read its answer.
            }
            while (true) {
                try {
                    WireClient.Response r = client.read();
                    statuses.add(r.status());
                    if (!r.complete()) {
                        return statuses;
                    }
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("the connection hung after " + statuses, e);
                } catch (IOException closed) { // end of stream or reset: the proxy closed it
                    return statuses;
                }
            }
        }
    }

    /** Echoes what arrived, and counts the request once its whole body did. */
    private void echo(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            completed.incrementAndGet();
            StringBuilder b = new StringBuilder()
                    .append("method: ").append(ex.getRequestMethod()).append('\n')
                    .append("uri: ").append(ex.getRequestURI().toString()).append('\n');
            ex.getRequestHeaders().forEach((k, vs) -> vs.forEach(
                    v -> b.append("header: ").append(k.toLowerCase()).append(": ").append(v).append('\n')));
            b.append("body: ").append(body.length).append(' ')
                    .append(HexFormat.of().formatHex(Bytes.sha256().digest(body))).append('\n');
            byte[] text = b.toString().getBytes(StandardCharsets.ISO_8859_1);
            ex.sendResponseHeaders(200, text.length);
            ex.getResponseBody().write(text);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
