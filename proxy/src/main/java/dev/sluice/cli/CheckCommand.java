package dev.sluice.cli;

import dev.sluice.config.ConfigException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice check --config FILE}: validates a config file; exit 0 when it is good, 1 when not. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Validate a config file: prints what is wrong (file:line: key: problem) and exits 1.")
final class CheckCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "the YAML config file")
    Path config;

    @Override
    public Integer call() {
        try {
            ConfigFiles.Loaded loaded = ConfigFiles.load(config);
            System.out.printf("%s: OK (%d pools, %d routes, listen %s)%n", config,
                    loaded.config().pools().size(), loaded.config().routes().size(), loaded.config().listen());
            return 0;
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 1;
        }
    }
}
