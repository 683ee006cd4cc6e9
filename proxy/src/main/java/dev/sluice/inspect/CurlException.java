package dev.sluice.inspect;

/**
 * A curl command line, or a URL in one, that cannot be used as it is: an unknown option, a
 * missing value, a file that cannot be read, a bad URL. Carries the exit code curl gives the
 * same problem (2, 3, 26…), so a script sees what it would see from curl.
 */
public final class CurlException extends Exception {

    /** curl's "failed to initialize": an option or its value is wrong. */
    public static final int USAGE = 2;
    /** curl's CURLE_UNSUPPORTED_PROTOCOL. */
    public static final int UNSUPPORTED_PROTOCOL = 1;
    /** curl's CURLE_URL_MALFORMAT. */
    public static final int BAD_URL = 3;
    /** curl's CURLE_READ_ERROR: a file named by an option cannot be read. */
    public static final int READ_ERROR = 26;

    private final int exitCode;
    private final String option;

    private CurlException(int exitCode, String option, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
        this.option = option;
    }

    public static CurlException usage(String message) {
        return new CurlException(USAGE, null, message);
    }

    /** An option that is not known, named so that a caller can say more about it. */
    static CurlException unknownOption(String option, String message) {
        return new CurlException(USAGE, option, message);
    }

    static CurlException badUrl(String message) {
        return new CurlException(BAD_URL, null, message);
    }

    static CurlException unsupportedProtocol(String message) {
        return new CurlException(UNSUPPORTED_PROTOCOL, null, message);
    }

    static CurlException unreadable(String message) {
        return new CurlException(READ_ERROR, null, message);
    }

    public int exitCode() {
        return exitCode;
    }

    /** The option that is not known, when that is the problem; else null. */
    public String unknownOption() {
        return option;
    }
}
