package dev.sluice.config;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree that remembers the line of every node, so that checks made after
 * parsing can still say where the offending text is.
 */
sealed interface ConfigNode {

    /** The 1-based line where the node starts. */
    int line();

    /**
     * A scalar as written ({@code text}) and what YAML resolved it to ({@code value}): a
     * {@link String}, a {@link java.math.BigInteger}, a {@link Double} or a {@link Boolean}.
     * Quoted scalars are always strings.
     */
    record Scalar(int line, String text, Object value) implements ConfigNode {}

    /** A mapping with unique keys, in source order. */
    record Mapping(int line, Map<String, Entry> entries) implements ConfigNode {
        public Mapping {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        /** The value of {@code key}, or {@code null} when the key is absent. */
        ConfigNode get(String key) {
            Entry entry = entries.get(key);
            return entry == null ? null : entry.value();
        }

        Collection<Entry> all() {
            return entries.values();
        }
    }

    /** One key of a mapping; {@code line} is the key's line, which may differ from its value's. */
    record Entry(String key, int line, ConfigNode value) {}

    record Sequence(int line, List<ConfigNode> items) implements ConfigNode {
        public Sequence {
            items = List.copyOf(items);
        }
    }

    /** An empty value ({@code key:} with nothing after it, {@code ~} or {@code null}). */
    record Null(int line) implements ConfigNode {}
}
