package dev.sluice.balance;

import java.util.Locale;

/** ④ The balancing algorithms a pool can use, by their config names. */
public enum Balance {
    ROUND_ROBIN,
    LEAST_REQUEST,
    CONSISTENT_HASH;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The algorithm called {@code name} in config, or {@code null}. */
    public static Balance fromConfigName(String name) {
        for (Balance b : values()) {
            if (b.configName().equals(name)) {
                return b;
            }
        }
        return null;
    }
}
