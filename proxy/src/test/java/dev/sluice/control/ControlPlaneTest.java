package dev.sluice.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.config.BackendConfig;
import dev.sluice.config.Config;
import dev.sluice.config.DynamicState;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.HostPort;
import dev.sluice.config.RouteConfig;
import dev.sluice.route.RouteTable;
import dev.sluice.store.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlPlaneTest {

    static final String CONFIG = """
            listen: 127.0.0.1:0
            pools:
              apps:
                backends: [127.0.0.1:9001]
              api:
                balance: least_request
                backends: []
            routes:
              - host: api.example
                pool: api
              - pool: apps
            """;

    @TempDir
    Path dir;

    final List<RouteTable> published = new ArrayList<>();

    ControlPlane open(StateStore store) throws Exception {
        Path file = Files.writeString(dir.resolve("sluice.yaml"), CONFIG);
        ControlPlane control = ControlPlane.open(file, ConfigLoader.load(file), store);
        control.publishTo(published::add);
        return control;
    }

    @Test
    void addUpdateAndRemoveABackend() throws Exception {
        ControlPlane control = open(StateStore.inMemory());
        long v0 = control.table().version();

        Change added = control.putBackend("APPS", "LocalHost:9002", null);
        assertThat(added.status()).isEqualTo(201);
        assertThat(control.effective().pools().get("apps").backends())
                .containsExactly(backend("127.0.0.1", 9001, 1), backend("localhost", 9002, 1));
        assertThat(published).hasSize(1);
        assertThat(published.get(0).version()).isEqualTo(v0 + 1);
        assertThat(control.table()).isSameAs(published.get(0));

        assertThat(control.putBackend("apps", "localhost:9002", 5).status()).isEqualTo(200);
        assertThat(control.putBackend("apps", "localhost:9002", 5).message()).contains("already");
        assertThat(published).hasSize(2); // unchanged: nothing published
        assertThat(control.removeBackend("apps", "localhost:9002").status()).isEqualTo(200);
        assertThat(control.effective().pools().get("apps").backends()).containsExactly(backend("127.0.0.1", 9001, 1));
        assertThat(control.state().version()).isEqualTo(3);
    }

    @Test
    void badChangesChangeNothing() throws Exception {
        ControlPlane control = open(StateStore.inMemory());
        Config before = control.effective();
        assertRejected(() -> control.putBackend("nope", "127.0.0.1:1", null), 404, "no pool named \"nope\"");
        assertRejected(() -> control.putBackend("apps", "127.0.0.1:99999", null), 400, "out of range");
        assertRejected(() -> control.putBackend("apps", "no-port", null), 400, "expected host:port");
        assertRejected(() -> control.putBackend("apps", "127.0.0.1:9009", 0), 400, "weight 0");
        assertRejected(() -> control.removeBackend("apps", "127.0.0.1:9009"), 404, "is not in pool apps");
        assertRejected(() -> control.putBackend("apps", "no.such.host.invalid:80", null), 400, "does not resolve");
        assertRejected(() -> control.replaceRoutes(List.of(new RouteConfig(null, "/", "ghost"))), 409, "ghost");
        assertThat(control.effective()).isEqualTo(before);
        assertThat(published).isEmpty();
    }

    @Test
    void aChangeThatCannotBeKeptIsNotMade() throws Exception {
        ControlPlane control = open(new StateStore() {
            @Override
            public Recovered load() {
                return new Recovered(DynamicState.EMPTY, List.of());
            }

            @Override
            public void save(DynamicState state) throws IOException {
                throw new IOException("disk full");
            }
        });
        assertRejected(() -> control.putBackend("apps", "127.0.0.1:9002", null), 500, "disk full");
        assertThat(control.effective().pools().get("apps").backends()).hasSize(1);
        assertThat(published).isEmpty();
    }

    @Test
    void reloadKeepsApiChangesAndRefusesABadFile() throws Exception {
        ControlPlane control = open(StateStore.inMemory());
        control.putBackend("api", "127.0.0.1:9101", null);
        Files.writeString(dir.resolve("sluice.yaml"), CONFIG.replace("127.0.0.1:9001]", "127.0.0.1:9001, 127.0.0.1:9003]"));
        assertThat(control.reload().status()).isEqualTo(200);
        assertThat(control.effective().pools().get("apps").backends()).hasSize(2);
        assertThat(control.effective().pools().get("api").backends()).containsExactly(backend("127.0.0.1", 9101, 1));

        Config before = control.effective();
        Files.writeString(dir.resolve("sluice.yaml"), CONFIG.replace("balance: least_request", "balance: fastest"));
        assertRejected(control::reload, 400, "sluice.yaml:6: pools.api.balance:");
        assertThat(control.reloadFailures()).isEqualTo(1);
        assertThat(control.effective()).isEqualTo(before);

        // A file that drops a pool the API changed is refused too: the change would be lost.
        Files.writeString(dir.resolve("sluice.yaml"), """
                listen: 127.0.0.1:0
                pools: { apps: { backends: [127.0.0.1:9001] } }
                routes: [ { pool: apps } ]
                """);
        assertRejected(control::reload, 409, "pool \"api\"");
        assertThat(control.reloadFailures()).isEqualTo(2);
        assertThat(control.effective()).isEqualTo(before);
    }

    @Test
    void stateIsAppliedOverTheFileAtStart() throws Exception {
        StateStore store = StateStore.inMemory();
        open(store).putBackend("api", "127.0.0.1:9101", 2);
        ControlPlane again = open(store);
        assertThat(again.effective().pools().get("api").backends()).containsExactly(backend("127.0.0.1", 9101, 2));
        assertThat(again.state().version()).isEqualTo(1);
    }

    @Test
    void backendsKeepTheirLoadAcrossTables() throws Exception {
        ControlPlane control = open(StateStore.inMemory());
        var before = control.table().backends().values().iterator().next();
        control.putBackend("api", "127.0.0.1:9101", null);
        assertThat(control.table().backends()).containsValue(before);
    }

    static BackendConfig backend(String host, int port, int weight) {
        return new BackendConfig(new HostPort(host, port), weight);
    }

    interface Call {
        Object run() throws Exception;
    }

    static void assertRejected(Call call, int status, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ChangeRejected.class, e -> {
            assertThat(e.status()).as(e.getMessage()).isEqualTo(status);
            assertThat(e.getMessage()).contains(message);
        });
    }
}
