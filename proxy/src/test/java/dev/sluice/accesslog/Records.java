package dev.sluice.accesslog;

import java.util.random.RandomGenerator;

/** Access records for tests: a typical one, one numbered for finding it again, random ones. */
final class Records {

    /** 2026-11-24T08:15:07.123Z */
    static final long START = 1_795_508_107_123L;

    private Records() {}

    /** A proxied GET, as the data path makes it. */
    static AccessRecord typical() {
        return new AccessRecord(START, "203.0.113.7", 51234, "GET", "shop.example", "/cart?id=1", "HTTP/1.1", 200,
                412, 1530, 455, 1498, "shop.example/", "web", "10.0.0.1:8080", 5123, -1, 4011, "ok",
                "4bf92f3577b34da6a3ce929d0e0e4736", "https://shop.example/", "curl/8.5.0");
    }

    /** What the data path makes of a connection that closed before a whole request came. */
    static AccessRecord noRequest() {
        return new AccessRecord(START, "198.51.100.2", 40000, "-", "-", "-", "HTTP/1.1", 0, 17, 0, 0, 0, "-", "-", "-",
                10_000_000, -1, -1, "client_header_timeout", "-", "-", "-");
    }

    /** A typical record whose request id is {@code id}, to know which one arrived. */
    static AccessRecord numbered(long id) {
        AccessRecord t = typical();
        return new AccessRecord(t.startMillis() + id, t.clientIp(), t.clientPort(), t.method(), t.host(),
                "/item/" + id, t.protocol(), t.status(), t.bytesIn(), t.bytesOut(), t.upstreamBytesOut(),
                t.upstreamBytesIn(), t.route(), t.pool(), t.backend(), t.totalMicros(), t.connectMicros(),
                t.firstByteMicros(), t.termination(), "id-" + id, t.referer(), t.userAgent());
    }

    /** Any text fields (all of Unicode, lone surrogates, controls, quotes) and any numbers. */
    static AccessRecord random(RandomGenerator random) {
        return new AccessRecord(random.nextLong(0, 253_402_300_800_000L), text(random), random.nextInt(65_536),
                text(random), text(random), text(random), text(random), random.nextInt(), number(random),
                number(random), number(random), number(random), text(random), text(random), text(random),
                number(random), number(random), number(random), text(random), text(random), text(random),
                text(random));
    }

    private static long number(RandomGenerator random) {
        return switch (random.nextInt(4)) {
            case 0 -> -1;
            case 1 -> random.nextLong(0, 100_000);
            case 2 -> random.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE;
            default -> random.nextLong();
        };
    }

    /** Up to 40 UTF-16 units, drawn mostly from the characters an encoder gets wrong. */
    static String text(RandomGenerator random) {
        StringBuilder s = new StringBuilder();
        int length = random.nextInt(41);
        while (s.length() < length) {
            switch (random.nextInt(9)) {
                case 0 -> s.append((char) random.nextInt(0x20)); // C0 controls
                case 1 -> s.append("\"\\/'\u007f\u0085\u2028\u2029".charAt(random.nextInt(8)));
                case 2 -> s.append((char) random.nextInt(0xd800, 0xe000)); // a surrogate, most often alone
                case 3 -> s.appendCodePoint(random.nextInt(0x10000, 0x110000)); // a pair
                case 4 -> s.append((char) random.nextInt(0x80, 0x100)); // a header byte read as ISO-8859-1
                case 5 -> s.append((char) random.nextInt(0xe000, 0x10000));
                default -> s.append((char) random.nextInt(0x20, 0x7f));
            }
        }
        return s.toString();
    }

    /** {@code s} as UTF-8 can carry it: each lone surrogate becomes U+FFFD. */
    static String wellFormed(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1));
            if (pair) {
                out.append(c).append(s.charAt(++i));
            } else {
                out.append(Character.isSurrogate(c) ? '\ufffd' : c);
            }
        }
        return out.toString();
    }
}
