package dev.sluice.inspect;

import static java.util.Objects.requireNonNull;

/**
 * Why a transfer ended without the response it went for, in curl's words and with curl's exit
 * code, so that a script reads {@code sluice inspect --print} as it reads curl.
 */
public record Failure(Kind kind, String message) {

    public Failure {
        requireNonNull(kind, "kind");
        requireNonNull(message, "message");
    }

    /** What went wrong, and curl's exit code for it. */
    public enum Kind {
        /** A redirect to a scheme other than http and https. */
        UNSUPPORTED_PROTOCOL(1),
        /** A redirect's {@code Location} is not a URL. */
        BAD_URL(3),
        /** Asked for something not built here: HTTP/2, HTTP/3, https through a proxy. */
        NOT_BUILT_IN(4),
        PROXY_DNS(5),
        DNS(6),
        CONNECT(7),
        /** The server's answer is not HTTP/1.x. */
        WEIRD_REPLY(8),
        /** The connection closed before the body was complete. */
        PARTIAL(18),
        TIMEOUT(28),
        TLS(35),
        /** The thread sending was interrupted. */
        CANCELLED(42),
        TOO_MANY_REDIRECTS(47),
        /** The connection closed before a single byte of response. */
        EMPTY_REPLY(52),
        SEND(55),
        RECEIVE(56),
        TLS_CERTIFICATE(60),
        /** The body is larger than {@code --max-filesize}. */
        TOO_LARGE(63),
        /** The {@code --cacert} file cannot be used. */
        CA_CERT_FILE(77);

        private final int exitCode;

        Kind(int exitCode) {
            this.exitCode = exitCode;
        }

        /** curl's exit code for this. */
        public int exitCode() {
            return exitCode;
        }
    }

    public int exitCode() {
        return kind.exitCode();
    }

    @Override
    public String toString() {
        return "(" + kind.exitCode() + ") " + message;
    }
}
