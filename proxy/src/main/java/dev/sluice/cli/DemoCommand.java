package dev.sluice.cli;

import dev.sluice.SluiceRuntime;
import dev.sluice.config.Config;
import dev.sluice.config.ConfigException;
import dev.sluice.config.ConfigLoader;
import dev.sluice.control.ChangeRejected;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice demo}: the embedded default. Three demo backends in this process, a config that
 * shows each balancing idea, the admin API with a fresh token, and the curl lines to try it all.
 * Changes made through the API live in memory only.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start the proxy with built-in demo backends and the admin API; print curl lines to try."
                + " Ctrl-C stops.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "8080", description = "proxy port on 127.0.0.1 (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--admin-port", defaultValue = "9901",
            description = "admin API port on 127.0.0.1 (default ${DEFAULT-VALUE})")
    int adminPort;

    @Override
    public Integer call() throws IOException, InterruptedException {
        List<DemoBackend> backends = List.of(new DemoBackend("A"), new DemoBackend("B"), new DemoBackend("C"));
        String token = "demo-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(8));
        Path tokenFile = Files.createTempFile("sluice-demo-token", "");
        tokenFile.toFile().deleteOnExit();
        Files.writeString(tokenFile, token);
        String yaml = config(port, adminPort, tokenFile, backends.get(0).port(), backends.get(1).port());
        SluiceRuntime runtime;
        try {
            Config config = ConfigLoader.parse(yaml, "demo.yaml");
            runtime = SluiceRuntime.start(config);
        } catch (ConfigException | ChangeRejected e) {
            backends.forEach(DemoBackend::close);
            throw new IllegalStateException("the demo config is invalid: " + e.getMessage(), e);
        } catch (IllegalStateException e) {
            backends.forEach(DemoBackend::close);
            System.err.println("sluice demo: " + e.getMessage() + " (something else on port " + port + " or "
                    + adminPort + "? try ./sluice demo --port 8081 --admin-port 9902)");
            return 1;
        }
        String url = "http://127.0.0.1:" + port;
        String admin = "http://127.0.0.1:" + adminPort;
        System.out.println("""
                Sluice demo: proxy on %1$s, admin API on %5$s,
                demo backends A on 127.0.0.1:%2$d, B on 127.0.0.1:%3$d, C on 127.0.0.1:%4$d (C is in no pool yet).
                The config it runs:

                %6$s
                Try (in another terminal):

                  # round robin: the default route alternates A, B, A, B
                  for i in 1 2 3 4; do curl -s %1$s/; done

                  # consistent hashing on the host: each host sticks to one backend
                  for h in shop blog wiki docs shop blog wiki docs; do curl -s -H "Host: $h.apps.localhost" %1$s/; done

                  # least request (path prefix route): the backend with fewer requests in flight
                  curl -s -H 'Host: api.localhost' %1$s/v1/users

                  # change it live: add backend C to the default pool, see it in the rotation, take it out again
                  curl -s -X PUT -H 'Authorization: Bearer %7$s' %5$s/api/pools/web/backends/127.0.0.1:%4$d
                  for i in 1 2 3; do curl -s %1$s/; done
                  ./sluice ctl --admin 127.0.0.1:%8$d --token %7$s remove web 127.0.0.1:%4$d

                Watch it: the live dashboard at %5$s/dashboard, Prometheus metrics at %5$s/metrics.

                Ctrl-C stops the demo.""".formatted(url, backends.get(0).port(), backends.get(1).port(),
                backends.get(2).port(), admin, yaml.indent(2), token, adminPort));
        Signals.awaitTermination(() -> {
            runtime.drain(Duration.ofSeconds(5));
            backends.forEach(DemoBackend::close);
        });
        return 0;
    }

    static String config(int port, int adminPort, Path tokenFile, int a, int b) {
        return """
                listen: 127.0.0.1:%1$d
                admin: 127.0.0.1:%2$d            # the admin API; changes need the token
                admin_token_file: %3$s
                pools:
                  web:                        # round robin (the default)
                    backends: [127.0.0.1:%4$d, 127.0.0.1:%5$d]
                  apps:
                    balance: consistent_hash  # a host always lands on the same backend
                    backends: [127.0.0.1:%4$d, 127.0.0.1:%5$d]
                  api:
                    balance: least_request    # fewer requests in flight wins
                    backends:
                      - address: 127.0.0.1:%4$d
                      - address: 127.0.0.1:%5$d
                        weight: 2
                routes:                       # first match wins
                  - host: "*.apps.localhost"
                    pool: apps
                  - host: api.localhost
                    path: /v1/
                    pool: api
                  - pool: web                 # no host: the default route
                """.formatted(port, adminPort, tokenFile, a, b);
    }
}
