package dev.sluice.relay;

import java.util.concurrent.ThreadLocalRandom;

/**
 * ⑥ Identifiers for requests that came without an {@code X-Request-Id}: 128 random bits as 32 hex
 * digits, like a UUID without its dashes and version bits. Random, not counted, so that ids from
 * a fleet of proxies never collide.
 */
final class RequestId {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private RequestId() {}

    static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] id = new char[32];
        fill(id, 0, random.nextLong());
        fill(id, 16, random.nextLong());
        return new String(id);
    }

    private static void fill(char[] id, int at, long bits) {
        for (int i = 15; i >= 0; i--) {
            id[at + i] = HEX[(int) (bits & 0xf)];
            bits >>>= 4;
        }
    }
}
