package dev.sluice.store;

import dev.sluice.config.BackendConfig;
import dev.sluice.config.HostPort;
import dev.sluice.config.RouteConfig;
import dev.sluice.config.DynamicState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * Random {@link DynamicState}s: pools with IPv4, IPv6 and named backends of any weight, route lists
 * or none; names and paths with characters JSON must escape, so the codec's quoting is tested too.
 */
final class RandomState {

    private static final String ODD = "\"\\/\u00e9\u2028\t\u0001 ";

    private RandomState() {}

    static DynamicState generate(RandomGenerator random) {
        Map<String, List<BackendConfig>> pools = new TreeMap<>();
        int poolCount = random.nextInt(0, 6);
        for (int p = 0; p < poolCount; p++) {
            List<BackendConfig> backends = new ArrayList<>();
            int backendCount = random.nextInt(0, 7);
            for (int b = 0; b < backendCount; b++) {
                backends.add(new BackendConfig(new HostPort(host(random), random.nextInt(1, 65536)),
                        random.nextInt(1, 257)));
            }
            pools.put(name(random), backends);
        }
        List<RouteConfig> routes = null;
        if (random.nextBoolean()) {
            routes = new ArrayList<>();
            int routeCount = random.nextInt(0, 6);
            for (int r = 0; r < routeCount; r++) {
                String host = switch (random.nextInt(3)) {
                    case 0 -> null;
                    case 1 -> "*." + name(random) + ".example";
                    default -> name(random) + ".example";
                };
                routes.add(new RouteConfig(host, "/" + (random.nextBoolean() ? "" : name(random) + "/"), name(random)));
            }
        }
        return new DynamicState(random.nextLong(1, Long.MAX_VALUE), pools, routes);
    }

    private static String host(RandomGenerator random) {
        return switch (random.nextInt(3)) {
            case 0 -> "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256);
            case 1 -> "2001:db8::" + Integer.toHexString(random.nextInt(0x10000));
            default -> "backend-" + random.nextInt(1000) + ".internal";
        };
    }

    /** A name, now and then with a character JSON escapes. */
    private static String name(RandomGenerator random) {
        StringBuilder name = new StringBuilder();
        int length = random.nextInt(1, 12);
        for (int i = 0; i < length; i++) {
            name.append(random.nextInt(10) == 0 ? ODD.charAt(random.nextInt(ODD.length()))
                    : (char) ('a' + random.nextInt(26)));
        }
        return name.toString();
    }
}
