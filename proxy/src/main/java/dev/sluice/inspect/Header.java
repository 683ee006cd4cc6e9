package dev.sluice.inspect;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/** One header field as written: its name with the case it was given, and its value. */
public record Header(String name, String value) {

    public Header {
        requireNonNull(name, "name");
        requireNonNull(value, "value");
    }

    /** True when this header is called {@code other}, ignoring case (RFC 9110 §5.1). */
    public boolean named(String other) {
        return name.equalsIgnoreCase(other);
    }

    /** The value of the first header called {@code name} in {@code headers}. */
    public static Optional<String> first(List<Header> headers, String name) {
        for (Header h : headers) {
            if (h.named(name)) {
                return Optional.of(h.value);
            }
        }
        return Optional.empty();
    }

    /** True when {@code headers} has one called {@code name}. */
    public static boolean any(List<Header> headers, String name) {
        return first(headers, name).isPresent();
    }

    /** The problem with {@code name} as a request header name, or null when it is a token (RFC 9110 §5.6.2). */
    static String nameProblem(String name) {
        if (name.isEmpty()) {
            return "a header needs a name";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isTokenChar(c)) {
                return "header name \"" + name + "\" has a character a header name cannot have ("
                        + (c < 0x20 || c >= 0x7F ? String.format("U+%04X", (int) c) : "'" + c + "'") + ")";
            }
        }
        return null;
    }

    /**
     * The problem with {@code value} as a request header value, or null: CR, LF and NUL would end
     * or break the line, and leading white space is not part of a value (RFC 9110 §5.5).
     */
    static String valueProblem(String name, String value) {
        if (value.startsWith(" ") || value.startsWith("\t")) {
            return "the value of header " + name + " starts with white space, which is not part of a header value";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                return "the value of header " + name + " has a " + (c == 0 ? "NUL" : c == '\r' ? "CR" : "LF")
                        + " in it, which would end the header line";
            }
        }
        return null;
    }

    static boolean isTokenChar(char c) {
        return c > 0x20 && c < 0x7F && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }
}
