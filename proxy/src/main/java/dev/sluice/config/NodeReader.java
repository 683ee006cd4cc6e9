package dev.sluice.config;

import dev.sluice.config.ConfigNode.Mapping;
import dev.sluice.config.ConfigNode.Scalar;
import dev.sluice.config.ConfigNode.Sequence;
import java.math.BigInteger;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed reads from a {@link ConfigNode} tree. A read that fails records a problem (line, key
 * path, what was expected and what was found) and returns a fallback instead of throwing, so one
 * pass over the tree finds every problem. A {@code null} node means "not given" and reads as the
 * fallback.
 */
final class NodeReader {

    private static final String DURATION_FORMS = "a whole number and a unit, ms, s, m or h (250ms, 5s, 2m)";
    private static final Pattern DURATION_TEXT = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    private final Problems problems;

    NodeReader(Problems problems) {
        this.problems = problems;
    }

    static String key(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    static String item(String path, int index) {
        return path + "[" + index + "]";
    }

    /** The value of an optional key: {@code null} when it is absent or empty. */
    static ConfigNode optional(Mapping mapping, String key) {
        ConfigNode node = mapping.get(key);
        return node instanceof ConfigNode.Null ? null : node;
    }

    void problem(int line, String path, String message) {
        problems.add(line, path, message);
    }

    /**
     * The value of a required key, or {@code null} after reporting it missing (at {@code line},
     * where its owner starts) or empty.
     */
    ConfigNode required(Mapping mapping, String key, int line, String path, String what) {
        ConfigNode node = mapping.get(key);
        if (node == null) {
            problem(line, key(path, key), "missing; expected " + what);
            return null;
        }
        return node instanceof ConfigNode.Null ? expected(node, key(path, key), what) : node;
    }

    /** Reports each key of {@code mapping} that is not in {@code known}, suggesting the one meant. */
    void knownKeysOnly(Mapping mapping, String path, List<String> known) {
        for (ConfigNode.Entry entry : mapping.all()) {
            if (!known.contains(entry.key())) {
                String hint = EditDistance.closest(entry.key(), known)
                        .map(k -> "did you mean \"" + k + "\"?")
                        .orElse("expected one of " + String.join(", ", known));
                problem(entry.line(), key(path, entry.key()), "unknown key; " + hint);
            }
        }
    }

    Mapping mapping(ConfigNode node, String path, String what) {
        return switch (node) {
            case null -> null;
            case Mapping m -> m;
            default -> expected(node, path, what);
        };
    }

    Sequence sequence(ConfigNode node, String path, String what) {
        return switch (node) {
            case null -> null;
            case Sequence s -> s;
            default -> expected(node, path, what);
        };
    }

    /** The text of a scalar, whatever YAML resolved it to: {@code pool: 2024} names pool "2024". */
    String text(ConfigNode node, String path, String what) {
        return switch (node) {
            case null -> null;
            case Scalar s -> s.text();
            default -> expected(node, path, what);
        };
    }

    HostPort address(ConfigNode node, String path, String what, Function<String, HostPort> parser) {
        String text = text(node, path, what);
        if (text == null) {
            return null;
        }
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            problem(node.line(), path, e.getMessage());
            return null;
        }
    }

    int integer(ConfigNode node, String path, int min, int max, int fallback) {
        if (node == null) {
            return fallback;
        }
        if (node instanceof Scalar s && s.value() instanceof BigInteger n
                && n.compareTo(BigInteger.valueOf(min)) >= 0 && n.compareTo(BigInteger.valueOf(max)) <= 0) {
            return n.intValue();
        }
        expected(node, path, "a whole number " + min + "-" + max);
        return fallback;
    }

    /** A share in percent, 1-100, written {@code 80%} or {@code 80}. */
    int percent(ConfigNode node, String path, int fallback) {
        if (node instanceof Scalar s && s.value() instanceof String text && text.endsWith("%")) {
            String digits = text.substring(0, text.length() - 1).strip();
            if (digits.matches("[0-9]{1,3}") && Integer.parseInt(digits) >= 1 && Integer.parseInt(digits) <= 100) {
                return Integer.parseInt(digits);
            }
            expected(node, path, "a share from 1% to 100%");
            return fallback;
        }
        return integer(node, path, 1, 100, fallback);
    }

    double positiveNumber(ConfigNode node, String path, double fallback) {
        if (node == null) {
            return fallback;
        }
        if (node instanceof Scalar s && s.value() instanceof Number n) { // BigInteger or Double
            double d = n.doubleValue();
            if (d > 0 && Double.isFinite(d)) {
                return d;
            }
        }
        expected(node, path, "a number greater than 0");
        return fallback;
    }

    /** A duration like {@code 5s}; {@code positive} rules out zero, for waits that must end. */
    Duration duration(ConfigNode node, String path, boolean positive, Duration fallback) {
        if (node == null) {
            return fallback;
        }
        if (node instanceof Scalar s) {
            Matcher m = DURATION_TEXT.matcher(s.text());
            if (m.matches()) {
                ChronoUnit unit = switch (m.group(2)) {
                    case "ms" -> ChronoUnit.MILLIS;
                    case "s" -> ChronoUnit.SECONDS;
                    case "m" -> ChronoUnit.MINUTES;
                    default -> ChronoUnit.HOURS;
                };
                Duration d = Duration.of(Long.parseLong(m.group(1)), unit);
                if (!positive || d.isPositive()) {
                    return d;
                }
            }
        }
        expected(node, path, (positive ? "a duration longer than 0: " : "a duration: ") + DURATION_FORMS);
        return fallback;
    }

    /** One of {@code names}, looked up by {@code byName}; suggests the closest name on a typo. */
    <E> E choice(ConfigNode node, String path, Function<String, E> byName, List<String> names, E fallback) {
        String what = "one of " + String.join(", ", names);
        String text = text(node, path, what);
        if (text == null) {
            return fallback;
        }
        E value = byName.apply(text);
        if (value == null) {
            problem(node.line(), path, "expected " + what + ", got " + describe(node)
                    + EditDistance.closest(text, names).map(n -> "; did you mean \"" + n + "\"?").orElse(""));
            return fallback;
        }
        return value;
    }

    /** Reports that {@code node} is not {@code what}; returns {@code null} for the caller to return. */
    <T> T expected(ConfigNode node, String path, String what) {
        problem(node.line(), path, "expected " + what + ", got " + describe(node));
        return null;
    }

    /** How a node looks in a message: {@code a list}, {@code nothing}, {@code "abc"}, {@code 3.5}. */
    static String describe(ConfigNode node) {
        return switch (node) {
            case ConfigNode.Null n -> "nothing";
            case Mapping m -> "a mapping";
            case Sequence s -> "a list";
            case Scalar s when s.value() instanceof String text -> "\"" + text.replace("\"", "\\\"") + "\"";
            case Scalar s -> s.text();
        };
    }
}
