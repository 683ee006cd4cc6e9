package dev.sluice.cli;

import dev.sluice.config.Config;
import dev.sluice.config.ConfigException;
import dev.sluice.config.ConfigLoader;
import dev.sluice.control.RouteTableCompiler;
import dev.sluice.route.RouteTable;
import java.nio.file.Path;
import java.util.List;

/** Loads a config file and compiles it, turning every failure into one message for the operator. */
final class ConfigFiles {

    /** A config and the route table compiled from it. */
    record Loaded(Config config, RouteTable routes) {}

    private ConfigFiles() {}

    /** @throws ConfigException whatever is wrong, with file, line and key */
    static Loaded load(Path file) throws ConfigException {
        Config config = ConfigLoader.load(file);
        try {
            return new Loaded(config, RouteTableCompiler.compile(config, 1));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(List.of(new ConfigException.Problem(file.toString(), 0, "", e.getMessage())));
        }
    }
}
