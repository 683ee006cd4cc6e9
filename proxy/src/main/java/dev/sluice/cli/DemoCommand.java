package dev.sluice.cli;

import dev.sluice.SluiceServer;
import dev.sluice.config.Config;
import dev.sluice.config.ConfigException;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.RouteTableCompiler;
import dev.sluice.route.RouteTableRef;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice demo}: the embedded default. Two demo backends in this process, a config that
 * shows each balancing idea, and the curl lines to try it.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start the proxy with two built-in demo backends and print curl lines to try. Ctrl-C stops.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "8080", description = "proxy port on 127.0.0.1 (default ${DEFAULT-VALUE})")
    int port;

    @Override
    public Integer call() throws IOException, InterruptedException {
        DemoBackend a = new DemoBackend("A");
        DemoBackend b = new DemoBackend("B");
        String yaml = config(port, a.port(), b.port());
        Config config;
        try {
            config = ConfigLoader.parse(yaml, "demo.yaml");
        } catch (ConfigException e) {
            throw new IllegalStateException("the demo config is invalid: " + e.getMessage(), e);
        }
        SluiceServer server;
        try {
            server = SluiceServer.builder()
                    .config(config)
                    .routes(new RouteTableRef(RouteTableCompiler.compile(config, 1)))
                    .build()
                    .start();
        } catch (IllegalStateException e) {
            a.close();
            b.close();
            System.err.println("sluice demo: " + e.getMessage() + " (is something else on port " + port
                    + "? try ./sluice demo --port 8081)");
            return 1;
        }
        String url = "http://127.0.0.1:" + port;
        System.out.println("""
                Sluice demo: proxy on %1$s, demo backends A on 127.0.0.1:%2$d and B on 127.0.0.1:%3$d.
                The config it runs:

                %4$s
                Try (in another terminal):

                  # round robin: the default route alternates A, B, A, B
                  for i in 1 2 3 4; do curl -s %1$s/; done

                  # consistent hashing on the host: each host sticks to one backend
                  for h in shop blog shop blog; do curl -s -H "Host: $h.apps.localhost" %1$s/; done

                  # least request (path prefix route): the backend with fewer requests in flight
                  curl -s -H 'Host: api.localhost' %1$s/v1/users

                Ctrl-C stops the demo.""".formatted(url, a.port(), b.port(), yaml.indent(2)));
        Signals.awaitTermination(() -> {
            server.drain(Duration.ofSeconds(5));
            a.close();
            b.close();
        });
        return 0;
    }

    static String config(int port, int a, int b) {
        return """
                listen: 127.0.0.1:%1$d
                pools:
                  web:                        # round robin (the default)
                    backends: [127.0.0.1:%2$d, 127.0.0.1:%3$d]
                  apps:
                    balance: consistent_hash  # a host always lands on the same backend
                    backends: [127.0.0.1:%2$d, 127.0.0.1:%3$d]
                  api:
                    balance: least_request    # fewer requests in flight wins
                    backends:
                      - address: 127.0.0.1:%2$d
                      - address: 127.0.0.1:%3$d
                        weight: 2
                routes:                       # first match wins
                  - host: "*.apps.localhost"
                    pool: apps
                  - host: api.localhost
                    path: /v1/
                    pool: api
                  - pool: web                 # no host: the default route
                """.formatted(port, a, b);
    }
}
