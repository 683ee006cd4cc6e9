package dev.sluice.inspect;

/** The HTTP version a request asks for ({@code --http1.0}, {@code --http1.1}, {@code --http2}…). */
public enum HttpVersion {
    HTTP_1_0("HTTP/1.0", "--http1.0"),
    HTTP_1_1("HTTP/1.1", "--http1.1"),
    HTTP_2("HTTP/2", "--http2"),
    HTTP_2_PRIOR_KNOWLEDGE("HTTP/2", "--http2-prior-knowledge"),
    HTTP_3("HTTP/3", "--http3");

    private final String wire;
    private final String option;

    HttpVersion(String wire, String option) {
        this.wire = wire;
        this.option = option;
    }

    /** As written in a request line: {@code HTTP/1.1}. */
    public String wire() {
        return wire;
    }

    /** The curl option that asks for it. */
    public String option() {
        return option;
    }

    /** True when {@link Client} can send it; the others are kept in a request and refused when it is sent. */
    public boolean sendable() {
        return this == HTTP_1_0 || this == HTTP_1_1;
    }
}
