package dev.sluice.inspect;

/** Ends one exchange early with a {@link Failure}; only ever caught within the client. */
final class ExchangeFailed extends Exception {

    private final Failure failure;

    ExchangeFailed(Failure.Kind kind, String message) {
        super(message, null, false, false);
        this.failure = new Failure(kind, message);
    }

    Failure failure() {
        return failure;
    }
}
