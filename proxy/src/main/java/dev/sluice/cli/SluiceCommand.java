package dev.sluice.cli;

import picocli.CommandLine.Command;

/** The {@code sluice} command: an HTTP reverse proxy and load balancer. */
@Command(name = "sluice",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "An HTTP reverse proxy and load balancer.",
        subcommands = {ServeCommand.class, CheckCommand.class, DemoCommand.class, CtlCommand.class,
            StateCommand.class, InspectCommand.class, TrainCommand.class},
        footer = {"", "Run the tests with ./sluice test. Docs: docs/config.md, docs/design.md."})
public final class SluiceCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}
