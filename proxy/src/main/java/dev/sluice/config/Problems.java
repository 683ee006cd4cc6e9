package dev.sluice.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects the problems of one config source so that a single run reports all of them. */
final class Problems {

    private final String source;
    private final List<ConfigException.Problem> found = new ArrayList<>();

    Problems(String source) {
        this.source = source;
    }

    void add(int line, String keyPath, String message) {
        found.add(new ConfigException.Problem(source, line, keyPath, message));
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    ConfigException exception() {
        // Found in schema order; reported in file order, like a compiler.
        List<ConfigException.Problem> sorted = new ArrayList<>(found);
        sorted.sort(Comparator.comparingInt(ConfigException.Problem::line));
        return new ConfigException(sorted);
    }

    void throwIfAny() throws ConfigException {
        if (!found.isEmpty()) {
            throw exception();
        }
    }
}
