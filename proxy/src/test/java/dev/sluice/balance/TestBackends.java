package dev.sluice.balance;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/** Backends that need no DNS: their addresses stay unresolved, which no balancer reads. */
final class TestBackends {

    private TestBackends() {}

    static Backend backend(String host, int weight) {
        return backend(host, 80, weight);
    }

    static Backend backend(String host, int port, int weight) {
        return new Backend(new Endpoint(host, port, weight), InetSocketAddress.createUnresolved(host, port));
    }

    /** {@code b0.test}, {@code b1.test}, … with these weights. */
    static List<Backend> weighted(int... weights) {
        List<Backend> backends = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            backends.add(backend("b" + i + ".test", weights[i]));
        }
        return backends;
    }

    /** {@code n} backends of weight 1. */
    static List<Backend> equal(int n) {
        int[] ones = new int[n];
        Arrays.fill(ones, 1);
        return weighted(ones);
    }

    /** {@code n} backends with random names and weights 1 to {@code maxWeight}. */
    static List<Backend> random(RandomGenerator random, int n, int maxWeight) {
        List<Backend> backends = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            backends.add(backend(randomHost(random, "b"), random.nextInt(1, maxWeight + 1)));
        }
        return backends;
    }

    /** A fresh backend per endpoint, with nothing in flight: a second pool of the same config. */
    static List<Backend> copy(List<Backend> backends) {
        return backends.stream().map(b -> new Backend(b.endpoint(), b.address())).toList();
    }

    static String randomHost(RandomGenerator random, String prefix) {
        return prefix + Long.toHexString(random.nextLong()) + ".example";
    }

    /** Takes {@code backend} out of rotation for an hour: down or ejected, at random. */
    static void takeOut(RandomGenerator random, Backend backend) {
        if (random.nextBoolean()) {
            backend.markDown(true);
        } else {
            backend.ejectUntil(System.nanoTime() + TimeUnit.HOURS.toNanos(1));
        }
    }

    static void bringBack(Backend backend) {
        backend.markDown(false);
        backend.unEject();
    }

    static void hold(Backend backend, int requests) {
        for (int i = 0; i < requests; i++) {
            backend.begin();
        }
    }
}
