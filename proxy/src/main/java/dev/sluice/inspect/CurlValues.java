package dev.sluice.inspect;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;

/** Reads the numbers curl options take: a count of redirects, seconds, a size with a k/M/G suffix. */
final class CurlValues {

    private CurlValues() {}

    static int maxRedirects(String value, String spelled) throws CurlException {
        try {
            int n = Integer.parseInt(value.strip());
            if (n == -1) {
                return SendOptions.MAX_REDIRECTS;
            }
            if (n >= 0 && n <= SendOptions.MAX_REDIRECTS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below, with what is allowed
        }
        throw CurlException.usage(spelled + " " + value + ": give 0-" + SendOptions.MAX_REDIRECTS + ", or -1 for "
                + SendOptions.MAX_REDIRECTS);
    }

    /** Seconds, with up to three decimals: {@code 2}, {@code 0.5}. */
    static Duration seconds(String value, String spelled) throws CurlException {
        try {
            BigDecimal s = new BigDecimal(value.strip());
            long millis = s.movePointRight(3).setScale(0, RoundingMode.UP).longValueExact();
            if (millis > 0 && millis <= Duration.ofDays(365).toMillis()) {
                return Duration.ofMillis(millis);
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // said below, with what is allowed
        }
        throw CurlException.usage(spelled + " " + value + ": give a number of seconds greater than 0, such as 2 or 0.5");
    }

    /** Bytes, with curl's suffixes: {@code 500k}, {@code 10M}, {@code 1G}. */
    static long size(String value, String spelled) throws CurlException {
        String v = value.strip();
        long unit = 1;
        if (!v.isEmpty()) {
            switch (Character.toLowerCase(v.charAt(v.length() - 1))) {
                case 'k' -> unit = 1L << 10;
                case 'm' -> unit = 1L << 20;
                case 'g' -> unit = 1L << 30;
                default -> unit = 1;
            }
        }
        String digits = unit == 1 ? v : v.substring(0, v.length() - 1);
        try {
            long n = Math.multiplyExact(Long.parseLong(digits), unit);
            if (n >= 1 && n <= SendOptions.MAX_FILE_SIZE) {
                return n;
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // said below, with what is allowed
        }
        throw CurlException.usage(spelled + " " + value + ": give a size from 1 byte to 1G (suffixes k, M, G)");
    }
}
