package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.config.BackendConfig;
import dev.sluice.config.HostPort;
import dev.sluice.testing.TestAdmin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice ctl}, run as its own process against a real admin API. */
class CtlTest {

    private static final String TOKEN = "ctl-token";

    @TempDir
    Path dir;

    private TestAdmin admin;
    private Path configFile;

    @BeforeEach
    void start() throws Exception {
        Files.writeString(dir.resolve("token"), TOKEN + "\n");
        admin = TestAdmin.start(dir, """
                listen: 127.0.0.1:0
                admin: 127.0.0.1:%d
                admin_token_file: token
                pools:
                  web: { backends: [127.0.0.1:9001] }
                routes:
                  - host: www.example
                    pool: web
                  - pool: web
                """.formatted(CliTest.freePort()), TOKEN);
        configFile = admin.configFile();
    }

    @AfterEach
    void stop() {
        admin.close();
    }

    private Result ctl(String... args) throws Exception {
        return ctl(Map.of(), args);
    }

    private Result ctl(Map<String, String> env, String... args) throws Exception {
        String[] all = new String[args.length + 1];
        all[0] = "ctl";
        System.arraycopy(args, 0, all, 1, args.length);
        try (SluiceProcess p = SluiceProcess.start(env, all)) {
            int exit = p.await();
            return new Result(exit, p.output());
        }
    }

    private record Result(int exit, String output) {}

    @Test
    void readsPrintTheServersJson() throws Exception {
        Result pools = ctl("--admin", admin.adminAddress(), "pools");
        assertThat(pools.exit()).as(pools.output()).isZero();
        assertThat(pools.output()).contains("\"name\" : \"web\"").contains("\"backend_count\" : 1");

        Result pool = ctl("pool", "WEB", "--admin", admin.adminAddress());
        assertThat(pool.exit()).isZero();
        assertThat(pool.output()).contains("\"address\" : \"127.0.0.1:9001\"").contains("\"state\" : \"up\"");

        Result status = ctl("--admin", String.valueOf(admin.adminPort()), "status"); // a port alone is on 127.0.0.1
        assertThat(status.exit()).isZero();
        assertThat(status.output()).contains("\"state_version\" : 0");
    }

    @Test
    void changesPrintOneLineAndTakeEffect() throws Exception {
        Result add = ctl("--admin", admin.adminAddress(), "--token", TOKEN, "add", "web", "127.0.0.1:9003",
                "--weight", "2");
        assertThat(add.exit()).as(add.output()).isZero();
        assertThat(add.output()).isEqualTo("added 127.0.0.1:9003 (weight 2) to pool web; state version 1\n");
        assertThat(admin.control().effective().pools().get("web").backends())
                .contains(new BackendConfig(new HostPort("127.0.0.1", 9003), 2));

        Result remove = ctl("--admin", admin.adminAddress(), "--token", TOKEN, "remove", "web", "127.0.0.1:9001");
        assertThat(remove.exit()).isZero();
        assertThat(remove.output()).isEqualTo("removed 127.0.0.1:9001 from pool web; it drains; state version 2\n");
    }

    @Test
    void routesPrintAsYamlThatSetRoutesTakesBack() throws Exception {
        Result routes = ctl("--admin", admin.adminAddress(), "routes");
        assertThat(routes.exit()).isZero();
        assertThat(routes.output()).isEqualTo("""
                routes:
                - host: www.example
                  path: /
                  pool: web
                - path: /
                  pool: web
                """);

        Path file = Files.writeString(dir.resolve("routes.yaml"), routes.output().replace("www.example", "WWW.Shop.Example"));
        Result set = ctl("--config", configFile.toString(), "set-routes", file.toString());
        assertThat(set.exit()).as(set.output()).isZero();
        assertThat(set.output()).isEqualTo("replaced the routes (2); state version 1\n");
        assertThat(admin.control().effective().routes().getFirst().host()).isEqualTo("www.shop.example");
    }

    @Test
    void aRefusalIsExit1WithTheServersError() throws Exception {
        Path file = Files.writeString(dir.resolve("routes.json"), "[{\"pool\": \"nope\"}]");
        Result r = ctl("--config", configFile.toString(), "set-routes", file.toString());

        assertThat(r.exit()).isEqualTo(CtlCommand.REFUSED);
        assertThat(r.output()).isEqualTo("sluice ctl: the routes were not replaced: request body:1: routes[0].pool:"
                + " no pool named \"nope\" (defined pools: web) (HTTP 400)\n");
    }

    @Test
    void reloadOfABadFileIsRefusedWithItsLine() throws Exception {
        Files.writeString(configFile, Files.readString(configFile).replace("pools:", "pols:"));

        Result r = ctl("--admin", admin.adminAddress(), "--token", TOKEN, "reload");

        assertThat(r.exit()).isEqualTo(CtlCommand.REFUSED);
        assertThat(r.output()).startsWith("sluice ctl: reload refused, still running the previous config: ")
                .contains(configFile + ":4: pols: unknown key; did you mean \"pools\"?").endsWith("(HTTP 400)\n");
    }

    @Test
    void theConfigFileGivesAddressAndToken() throws Exception {
        Result r = ctl("-c", configFile.toString(), "add", "web", "127.0.0.1:9003");

        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).startsWith("added 127.0.0.1:9003 (weight 1) to pool web");
    }

    @Test
    void flagsBeatTheEnvironmentWhichBeatsTheConfig() throws Exception {
        String dead = "127.0.0.1:" + CliTest.freePort();
        Files.writeString(dir.resolve("token"), "wrong\n"); // the config's token file

        // --admin and --token over the environment's
        Result flags = ctl(Map.of("SLUICE_ADMIN", dead, "SLUICE_ADMIN_TOKEN", "wrong"),
                "--admin", admin.adminAddress(), "--token", TOKEN, "add", "web", "127.0.0.1:9003");
        assertThat(flags.exit()).as(flags.output()).isZero();

        // the environment over the config's admin address and token file
        Files.writeString(configFile, Files.readString(configFile).replaceFirst("admin: [^\\n]+", "admin: " + dead));
        Result env = ctl(Map.of("SLUICE_ADMIN", admin.adminAddress(), "SLUICE_ADMIN_TOKEN", TOKEN),
                "--config", configFile.toString(), "add", "web", "127.0.0.1:9004");
        assertThat(env.exit()).as(env.output()).isZero();
    }

    @Test
    void aChangeWithoutTheTokenIsRefused() throws Exception {
        Result r = ctl("--admin", admin.adminAddress(), "add", "web", "127.0.0.1:9003");

        assertThat(r.exit()).isEqualTo(CtlCommand.REFUSED);
        assertThat(r.output()).isEqualTo("sluice ctl: changes need the admin token: send Authorization: Bearer <token>"
                + " (HTTP 401)\n");
    }

    @Test
    void noAdminAddressIsAUsageError() throws Exception {
        Result r = ctl("status");

        assertThat(r.exit()).isEqualTo(CtlCommand.USAGE);
        assertThat(r.output()).isEqualTo("sluice ctl: where is the admin API? Pass --admin HOST:PORT, set SLUICE_ADMIN,"
                + " or pass --config FILE of the running proxy\n");
    }

    @Test
    void missingArgumentsAreAUsageError() throws Exception {
        Result r = ctl("--admin", admin.adminAddress(), "add", "web");

        assertThat(r.exit()).isEqualTo(CtlCommand.USAGE);
        assertThat(r.output()).contains("Missing required parameter: 'HOST:PORT'");
    }

    @Test
    void anUnreachableAdminApiIsExit3() throws Exception {
        int port = CliTest.freePort();
        Result r = ctl("--admin", "127.0.0.1:" + port, "status");

        assertThat(r.exit()).isEqualTo(CtlCommand.UNREACHABLE);
        assertThat(r.output()).startsWith("sluice ctl: cannot reach the admin API at http://127.0.0.1:" + port
                + "/: connection refused");
    }
}
