package dev.sluice.cli;

import dev.sluice.SluiceRuntime;
import dev.sluice.config.ConfigException;
import dev.sluice.control.ChangeRejected;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice serve --config FILE}: runs the proxy until SIGTERM or SIGINT, then drains. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the proxy.",
            "SIGTERM/SIGINT: stop accepting, finish in-flight requests (up to shutdown_timeout), exit 0.",
            "SIGHUP, or saving the config file: reload pools and routes; an invalid file keeps the old config.",
            "SIGUSR1: reopen the access log file (after logrotate moved it)."})
final class ServeCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "the YAML config file")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        SluiceRuntime runtime;
        try {
            runtime = SluiceRuntime.start(config);
        } catch (ConfigException e) {
            return notStarted(e.getMessage(), "fix the config (sluice check --config " + config + ")");
        } catch (ChangeRejected e) {
            return notStarted("the saved state does not fit the config: " + e.getMessage(),
                    "restore the pools it names, or move the state directory aside to start from the file alone");
        } catch (IOException e) {
            return notStarted("cannot read the saved state: " + e.getMessage(),
                    "see docs/operations.md (sluice state verify)");
        } catch (IllegalStateException e) {
            return notStarted(e.getMessage(), "");
        }
        Signals.onHangup(runtime::reload);
        Signals.onUser1(runtime::reopenLogs);
        Signals.awaitTermination(() -> runtime.drain(runtime.control().effective().shutdownTimeout()));
        return 0;
    }

    private static int notStarted(String why, String todo) {
        System.err.println("sluice: " + why);
        System.err.println("sluice: not started" + (todo.isEmpty() ? "" : "; " + todo));
        return 1;
    }
}
