package dev.sluice.cli;

import dev.sluice.SluiceServer;
import dev.sluice.config.ConfigException;
import dev.sluice.route.RouteTableRef;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice serve --config FILE}: runs the proxy until SIGTERM or SIGINT, then drains. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the proxy. SIGTERM/SIGINT: stop accepting, finish in-flight requests "
                + "(up to shutdown_timeout), exit 0.")
final class ServeCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "the YAML config file")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        ConfigFiles.Loaded loaded;
        try {
            loaded = ConfigFiles.load(config);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.err.println("sluice: not started; fix the config (sluice check --config " + config + ")");
            return 1;
        }
        SluiceServer server;
        try {
            server = SluiceServer.builder()
                    .config(loaded.config())
                    .routes(new RouteTableRef(loaded.routes()))
                    .build()
                    .start();
        } catch (IllegalStateException e) {
            System.err.println("sluice: " + e.getMessage());
            return 1;
        }
        Shutdown.awaitSignal(() -> server.drain(loaded.config().shutdownTimeout()));
        return 0;
    }
}
