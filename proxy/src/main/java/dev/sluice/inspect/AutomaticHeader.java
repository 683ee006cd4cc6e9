package dev.sluice.inspect;

/**
 * The headers the client makes when it sends a request, because they follow from the URL and
 * the body: a request header of the same name replaces one, {@code -H 'Host:'} leaves it out.
 */
public enum AutomaticHeader {
    HOST("Host"),
    CONTENT_LENGTH("Content-Length");

    private final String headerName;

    AutomaticHeader(String headerName) {
        this.headerName = headerName;
    }

    public String headerName() {
        return headerName;
    }

    /** The automatic header called {@code name}, ignoring case, or null. */
    static AutomaticHeader named(String name) {
        for (AutomaticHeader a : values()) {
            if (a.headerName.equalsIgnoreCase(name)) {
                return a;
            }
        }
        return null;
    }
}
