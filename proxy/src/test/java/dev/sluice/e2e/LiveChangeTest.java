package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.control.ChangeRejected;
import dev.sluice.control.ControlPlane;
import dev.sluice.testing.OriginServer;
import dev.sluice.testing.TestProxy;
import dev.sluice.testing.WireClient;
import dev.sluice.testing.WireClient.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backends and config change all the time under load, and no request fails because of it. */
class LiveChangeTest {

    @TempDir
    Path dir;

    /** What the client connections saw. */
    record Tally(long ok, long unavailable, long failed, List<String> failures) {}

    @Test
    void twoHundredRandomChangesUnderLoadFailNoRequest() throws Exception {
        long seed = Long.getLong("sluice.seed", System.nanoTime());
        RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        List<OriginServer> origins = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            origins.add(OriginServer.start("o" + i));
        }
        Path file = dir.resolve("sluice.yaml");
        Files.writeString(file, config(origins, 0));
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
        try (TestProxy proxy = TestProxy.startFile(file)) {
            List<Future<Tally>> tallies = new ArrayList<>();
            for (int c = 0; c < 6; c++) {
                int id = c;
                tallies.add(clients.submit(() -> load(proxy.port(), id, running)));
            }
            ControlPlane control = proxy.control();
            List<String> inPool = new ArrayList<>(List.of(address(origins.get(0))));
            for (int change = 0; change < 200; change++) {
                int what = random.nextInt(10);
                String address = address(origins.get(random.nextInt(origins.size())));
                if (what < 4) {
                    control.putBackend("apps", address, 1 + random.nextInt(3));
                    if (!inPool.contains(address)) {
                        inPool.add(address);
                    }
                } else if (what < 8 && inPool.size() > 1) {
                    String gone = inPool.remove(random.nextInt(inPool.size()));
                    control.removeBackend("apps", gone);
                } else if (what == 8) {
                    Files.writeString(file, config(origins, change)); // the watcher reloads it
                } else {
                    reload(control);
                }
                Thread.sleep(random.nextInt(15));
            }
            Thread.sleep(300);
            running.set(false);
            long ok = 0;
            List<String> failures = new ArrayList<>();
            for (Future<Tally> f : tallies) {
                Tally t = f.get(30, TimeUnit.SECONDS);
                ok += t.ok();
                failures.addAll(t.failures());
            }
            assertThat(failures).as("seed %d: failed requests", seed).isEmpty();
            assertThat(ok).as("seed %d: requests served", seed).isGreaterThan(500);
            // every backend served; the removed ones drained without a failure
            assertThat(origins).allSatisfy(o -> assertThat(o.requests()).as(o.name()).isPositive());
        } finally {
            running.set(false); // before waiting for the clients, or a failed change would hang here
            clients.shutdown();
            assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            origins.forEach(OriginServer::close);
        }
    }

    static void reload(ControlPlane control) throws ChangeRejected {
        control.reload();
    }

    /** Keep-alive requests on one connection until told to stop; failures are kept, never retried. */
    static Tally load(int port, int id, AtomicBoolean running) throws IOException {
        long ok = 0;
        long unavailable = 0;
        List<String> failures = new ArrayList<>();
        try (WireClient c = new WireClient(port)) {
            for (int i = 0; running.get(); i++) {
                Response r;
                try {
                    r = c.send(WireClient.get("c" + id + ".test", "/" + i)).read();
                } catch (IOException e) {
                    failures.add("client " + id + " request " + i + ": " + e);
                    return new Tally(ok, unavailable, failures.size(), failures);
                }
                if (r.status() == 200 && r.complete()) {
                    ok++;
                } else {
                    failures.add("client " + id + " request " + i + ": " + r.statusLine() + " " + r.text());
                }
            }
        }
        return new Tally(ok, unavailable, failures.size(), failures);
    }

    static String address(OriginServer o) {
        return "127.0.0.1:" + o.port();
    }

    /** The file: the apps pool starts with origin 0; a comment that changes makes each write a new file. */
    static String config(List<OriginServer> origins, int change) {
        return """
                # change %d
                listen: 127.0.0.1:0
                pools:
                  apps:
                    balance: least_request
                    backends: [%s]
                  spare:
                    backends: [%s]
                routes:
                  - host: spare.test
                    pool: spare
                  - pool: apps
                """.formatted(change, address(origins.get(0)), address(origins.get(1)));
    }
}
