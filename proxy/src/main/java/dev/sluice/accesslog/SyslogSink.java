package dev.sluice.accesslog;

import java.io.Closeable;
import java.io.IOException;

/**
 * ⑦ What the syslog transports share: a name for warnings, the RFC 5424 message, a connection made
 * again after a failure ({@link Reconnector}), and the count of records lost. A batch that finds no
 * connection is lost whole; one that finds it is the transport's to send.
 *
 * @param <C> the transport's connection
 */
abstract class SyslogSink<C extends Closeable> implements LogSink {

    final String name;
    final SyslogMessage message;
    final Reconnector<C> connection;
    final LossCounter losses;

    SyslogSink(String name, SyslogMessage message, Reconnector.Opener<C> opener) {
        this.name = name;
        this.message = message;
        this.losses = new LossCounter("access_log_sink_failed", "sink=" + name);
        this.connection = new Reconnector<>(name, opener);
    }

    /** Sends every record of {@code batch} on {@code c}, counting what it cannot send. */
    abstract void send(C c, Batch batch);

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final void write(Batch batch) {
        C c;
        try {
            c = connection.get();
        } catch (IOException e) {
            losses.add(batch.size(), e);
            return;
        }
        send(c, batch);
    }

    @Override
    public final long lost() {
        return losses.total();
    }

    @Override
    public void close() {
        connection.close();
    }
}
