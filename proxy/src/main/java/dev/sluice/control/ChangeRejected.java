package dev.sluice.control;

/**
 * A change that was not made, and why, with the HTTP status that says so: 400 bad input, 404 no
 * such pool or backend, 409 the change conflicts with the config file, 500 it could not be kept.
 * State is unchanged whenever this is thrown.
 */
public final class ChangeRejected extends Exception {

    private final int status;

    public ChangeRejected(int status, String message) {
        super(message);
        this.status = status;
    }

    public ChangeRejected(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
