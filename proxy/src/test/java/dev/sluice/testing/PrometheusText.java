package dev.sluice.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for tests: it refuses what
 * Prometheus would refuse (a bad name, label or escape, a value that is not a float, a sample of no
 * declared family or outside its family's names, a family declared twice, a series repeated, no
 * final newline) and checks histograms hang together (buckets cumulative, {@code +Inf} = count).
 * <pre>{@code
 * PrometheusText.Exposition e = PrometheusText.parse(body);
 * double n = e.value("sluice_requests_total", "pool", "web", "status_class", "2xx");
 * }</pre>
 */
public final class PrometheusText {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    private PrometheusText() {}

    /** One sample: its metric name, labels (sorted by name) and value. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    /** What one scrape said. */
    public static final class Exposition {
        private final Map<String, String> types;
        private final List<Sample> samples;

        private Exposition(Map<String, String> types, List<Sample> samples) {
            this.types = types;
            this.samples = samples;
        }

        /** The declared type of the family {@code name}, or {@code null}. */
        public String type(String family) {
            return types.get(family);
        }

        public List<Sample> samples() {
            return samples;
        }

        /** Samples named {@code name} whose labels include {@code labels} (name, value, name, value...). */
        public List<Sample> find(String name, String... labels) {
            Map<String, String> wanted = pairs(labels);
            return samples.stream()
                    .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(wanted.entrySet()))
                    .toList();
        }

        /** The value of the one sample named {@code name} with exactly {@code labels}; fails when there is none. */
        public double value(String name, String... labels) {
            Map<String, String> wanted = pairs(labels);
            return samples.stream()
                    .filter(s -> s.name().equals(name) && s.labels().equals(wanted))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no sample " + name + wanted))
                    .value();
        }

        /** The sum of the samples {@link #find} finds; 0 when there are none. */
        public double sum(String name, String... labels) {
            return find(name, labels).stream().mapToDouble(Sample::value).sum();
        }
    }

    public static Exposition parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the exposition does not end with a newline");
        }
        Map<String, String> types = new LinkedHashMap<>();
        Set<String> helped = new HashSet<>();
        List<Sample> samples = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String family = null;
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            try {
                if (line.startsWith("# HELP ")) {
                    String name = firstWord(line.substring(7));
                    if (!helped.add(name)) {
                        throw new IllegalArgumentException("HELP for " + name + " given twice");
                    }
                    checkHelp(line.substring(7 + name.length()));
                } else if (line.startsWith("# TYPE ")) {
                    String[] parts = line.substring(7).split(" ");
                    if (parts.length != 2 || !NAME.matcher(parts[0]).matches() || !TYPES.contains(parts[1])) {
                        throw new IllegalArgumentException("bad TYPE line");
                    }
                    if (types.putIfAbsent(parts[0], parts[1]) != null) {
                        throw new IllegalArgumentException("TYPE for " + parts[0] + " given twice");
                    }
                    family = parts[0];
                } else if (line.startsWith("#")) {
                    continue; // a comment
                } else {
                    Sample s = sample(line);
                    if (family == null || !belongs(s.name(), family, types.get(family))) {
                        throw new IllegalArgumentException(s.name() + " is not of the family declared last (" + family + ")");
                    }
                    if (!seen.add(s.name() + s.labels())) {
                        throw new IllegalArgumentException("series repeated: " + s.name() + s.labels());
                    }
                    samples.add(s);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + lineNo + ": " + e.getMessage() + ": " + line, e);
            }
        }
        types.forEach((name, type) -> {
            if (type.equals("histogram")) {
                checkHistogram(name, samples);
            }
        });
        return new Exposition(types, samples);
    }

    private static boolean belongs(String sample, String family, String type) {
        return switch (type) {
            case "histogram" -> sample.equals(family + "_bucket") || sample.equals(family + "_sum")
                    || sample.equals(family + "_count") || sample.equals(family + "_created");
            case "summary" -> sample.equals(family) || sample.equals(family + "_sum") || sample.equals(family + "_count");
            default -> sample.equals(family);
        };
    }

    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)( -?[0-9]+)?");

    private static Sample sample(String line) {
        Matcher m = SAMPLE.matcher(line);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a sample line");
        }
        Map<String, String> labels = m.group(3) == null ? Map.of() : labels(m.group(3));
        return new Sample(m.group(1), labels, number(m.group(4)));
    }

    /** {@code a="x",b="y\"z"}: names, quoted values with only \\, \" and \n escaped; a trailing comma is allowed. */
    private static Map<String, String> labels(String text) {
        Map<String, String> labels = new TreeMap<>();
        int i = 0;
        while (i < text.length()) {
            int eq = text.indexOf('=', i);
            if (eq < 0) {
                throw new IllegalArgumentException("a label without =");
            }
            String name = text.substring(i, eq);
            if (!LABEL_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("bad label name \"" + name + "\"");
            }
            if (eq + 1 >= text.length() || text.charAt(eq + 1) != '"') {
                throw new IllegalArgumentException("label " + name + ": the value is not quoted");
            }
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            for (; j < text.length() && text.charAt(j) != '"'; j++) {
                char c = text.charAt(j);
                if (c == '\\') {
                    char next = j + 1 < text.length() ? text.charAt(++j) : ' ';
                    value.append(switch (next) {
                        case '\\' -> '\\';
                        case '"' -> '"';
                        case 'n' -> '\n';
                        default -> throw new IllegalArgumentException("label " + name + ": bad escape \\" + next);
                    });
                } else if (c == '\n') {
                    throw new IllegalArgumentException("label " + name + ": a raw newline");
                } else {
                    value.append(c);
                }
            }
            if (j >= text.length()) {
                throw new IllegalArgumentException("label " + name + ": the value is not closed");
            }
            if (labels.put(name, value.toString()) != null) {
                throw new IllegalArgumentException("label " + name + " given twice");
            }
            i = j + 1;
            if (i < text.length()) {
                if (text.charAt(i) != ',') {
                    throw new IllegalArgumentException("labels must be separated by commas");
                }
                i++;
            }
        }
        return labels;
    }

    private static double number(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                if (!text.matches("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?")) {
                    throw new IllegalArgumentException("not a float: " + text);
                }
                yield Double.parseDouble(text);
            }
        };
    }

    private static String firstWord(String s) {
        int space = s.indexOf(' ');
        String name = space < 0 ? s : s.substring(0, space);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad metric name \"" + name + "\"");
        }
        return name;
    }

    /** HELP text escapes only a backslash and a newline. */
    private static void checkHelp(String help) {
        for (int i = 0; i < help.length(); i++) {
            if (help.charAt(i) == '\\') {
                char next = i + 1 < help.length() ? help.charAt(++i) : ' ';
                if (next != '\\' && next != 'n') {
                    throw new IllegalArgumentException("bad escape in HELP: \\" + next);
                }
            }
        }
    }

    /** Each series' buckets are cumulative, end with +Inf, and +Inf equals _count. */
    private static void checkHistogram(String family, List<Sample> samples) {
        Map<Map<String, String>, TreeMap<Double, Double>> buckets = new HashMap<>();
        for (Sample s : samples) {
            if (s.name().equals(family + "_bucket")) {
                Map<String, String> series = new TreeMap<>(s.labels());
                String le = series.remove("le");
                if (le == null) {
                    throw new IllegalArgumentException(family + ": a bucket without le");
                }
                buckets.computeIfAbsent(series, k -> new TreeMap<>()).put(number(le), s.value());
            }
        }
        buckets.forEach((series, byBound) -> {
            double previous = 0;
            for (double count : byBound.values()) {
                if (count < previous) {
                    throw new IllegalArgumentException(family + series + ": buckets are not cumulative");
                }
                previous = count;
            }
            if (byBound.lastKey() != Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException(family + series + ": no +Inf bucket");
            }
            double count = samples.stream()
                    .filter(s -> s.name().equals(family + "_count") && s.labels().equals(series))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(family + series + ": no _count"))
                    .value();
            if (count != byBound.lastEntry().getValue()) {
                throw new IllegalArgumentException(family + series + ": +Inf bucket " + byBound.lastEntry().getValue()
                        + " is not _count " + count);
            }
        });
    }

    private static Map<String, String> pairs(String... labels) {
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name, value pairs");
        }
        Map<String, String> map = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            map.put(labels[i], labels[i + 1]);
        }
        return map;
    }
}
