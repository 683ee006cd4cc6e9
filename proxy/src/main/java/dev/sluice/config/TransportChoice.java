package dev.sluice.config;

import java.util.Locale;

/** Which socket transport to use: {@code auto} picks epoll, else NIO; io_uring must be named. */
public enum TransportChoice {
    AUTO,
    IO_URING,
    EPOLL,
    NIO;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The transport called {@code name} in config, or {@code null}. */
    public static TransportChoice fromConfigName(String name) {
        for (TransportChoice t : values()) {
            if (t.configName().equals(name)) {
                return t;
            }
        }
        return null;
    }
}
