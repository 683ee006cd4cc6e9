package dev.sluice.accesslog;

/**
 * ⑦ One place access log lines go: a file, standard output, a syslog receiver. Written by the
 * writer thread only, one batch at a time; a sink that fails counts the records it could not
 * write, warns (rate-limited) and takes the next batch as if nothing had happened.
 */
interface LogSink {

    /** What the warnings call it: {@code file /var/log/sluice/access.log}, {@code syslog tcp://…}. */
    String name();

    /** Writes every line of {@code batch}; never throws: what fails is counted in {@link #lost()}. */
    void write(Batch batch);

    /** Opens its destination again, e.g. the file at its path after logrotate renamed it. */
    default void reopen() {}

    /** Records this sink could not write, since it opened. */
    long lost();

    /**
     * Releases what it holds. Safe from any thread: a writer stuck on this sink (a receiver that
     * takes nothing) is freed by it, and what it then writes is counted as lost.
     */
    void close();
}
