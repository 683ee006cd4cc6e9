package dev.sluice;

import dev.sluice.cli.SluiceCommand;
import picocli.CommandLine;

/** Entry point: {@code sluice serve|check|demo …}; the commands live in {@code dev.sluice.cli}. */
public final class Sluice {

    private Sluice() {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new SluiceCommand()).execute(args));
    }
}
