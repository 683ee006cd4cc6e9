package dev.sluice.cli;

import dev.sluice.config.Config;
import dev.sluice.config.ConfigException;
import dev.sluice.config.ConfigLoader;
import dev.sluice.control.RouteTableCompiler;
import dev.sluice.control.ChangeRejected;
import dev.sluice.control.ConfigOverlay;
import dev.sluice.config.DynamicState;
import dev.sluice.store.StateReport;
import dev.sluice.store.StateReport.Damaged;
import dev.sluice.store.StateReport.Generation;
import dev.sluice.store.StateReport.Good;
import dev.sluice.store.StateReport.Unreadable;
import dev.sluice.store.StateStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sluice state verify --config FILE}: checks the state kept for changes made through the
 * admin API the way a start reads it — every file whole, the newest good one applied over the config
 * file and compiled — before a restart, after a restore, or before trusting a backup.
 */
@Command(name = "state", mixinStandardHelpOptions = true,
        description = "Look after the state kept for changes made through the admin API.")
final class StateCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand: verify");
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Check every state file (header, length, checksum, content), then apply the newest good"
                    + " one over the config file and compile it, as a start would.",
                "Exit 0: all good, or no state yet. Exit 1: anything wrong."})
    int verify(@Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
                    description = "the YAML config file; its state_dir is checked") Path configFile,
            @Option(names = "--state-dir", paramLabel = "DIR",
                    description = "check DIR instead of the config's state_dir: a backup, before restoring it")
                    Path stateDir) {
        Config config;
        try {
            config = ConfigLoader.load(configFile);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.err.println("sluice state verify: fix the config first (sluice check --config " + configFile + ")");
            return 1;
        }
        Path dir = stateDir != null ? stateDir : config.admin().stateDir();
        StateReport report;
        try {
            report = StateStore.verify(dir);
        } catch (IOException e) {
            System.out.println("state directory " + dir + ": " + e.getMessage());
            System.out.println("verdict: FAULT: the state directory cannot be read");
            return 1;
        }
        System.out.println("state directory " + dir);
        report.unfinished().forEach(tmp -> System.out.println(tmp.getFileName()
                + ": an unfinished save, interrupted by a crash; never acknowledged; a start deletes it"));
        if (report.generations().isEmpty()) {
            System.out.println("verdict: OK: no saved state yet; a start uses the config file alone");
            return 0;
        }
        report.generations().forEach(g -> System.out.println(describe(g)));
        Optional<Good> recovered = report.recovered();
        if (recovered.isEmpty()) {
            System.out.println("verdict: FAULT: a start would refuse: no usable state file. Restore the directory"
                    + " from a good backup (and verify it), or stop sluice and move " + dir
                    + " aside to start from the config file alone");
            return 1;
        }
        Good used = recovered.get();
        if (used != report.generations().getFirst()) {
            System.out.println("a start would use " + used.name() + " and lose the changes saved after it");
        }
        String fault = fitFault(config, used.state());
        if (fault != null) {
            System.out.println(used.name() + " does not fit " + configFile + ": " + fault);
            System.out.println("verdict: FAULT: a start would refuse. Fix the config file, or stop sluice and move "
                    + dir + " aside to drop the changes made through the API");
            return 1;
        }
        if (!report.allGood()) {
            System.out.println("verdict: FAULT: damaged or unreadable files above; a start would work, using "
                    + used.name() + " over " + configFile);
            return 1;
        }
        System.out.println("verdict: OK: a start would apply state version " + used.version() + " over " + configFile);
        return 0;
    }

    private static String describe(Generation generation) {
        return generation.name() + ": " + switch (generation) {
            case Good good -> "ok (version " + good.version() + ", " + count(good.state().pools().size(), "pool")
                    + " changed, " + (good.state().routes() == null ? "routes from the config file"
                            : "routes replaced (" + good.state().routes().size() + ")") + ")";
            case Damaged damaged -> "DAMAGED: " + damaged.problem();
            case Unreadable unreadable -> "UNREADABLE: " + unreadable.problem();
        };
    }

    /** Why {@code state} cannot be applied over {@code config} as a start applies it, or null. */
    private static String fitFault(Config config, DynamicState state) {
        try {
            RouteTableCompiler.compile(ConfigOverlay.apply(config, state), state.version() + 1);
            return null;
        } catch (ChangeRejected | IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
