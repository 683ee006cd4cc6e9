package dev.sluice.accesslog;

import java.io.PrintStream;

/**
 * ⑦ Writes lines to standard output, one write per batch, for a container's log collector. The
 * proxy's own log goes to standard error, so the two never mix.
 */
final class StdoutSink implements LogSink {

    private final LossCounter losses = new LossCounter("access_log_sink_failed", "sink=" + name());

    @Override
    public String name() {
        return "stdout";
    }

    @Override
    public void write(Batch batch) {
        PrintStream out = System.out;
        out.write(batch.text().array(), 0, batch.text().length());
        out.flush();
        // A PrintStream keeps its failure instead of throwing it; once it failed, standard output is gone.
        if (out.checkError()) {
            losses.add(batch.size(), "standard output is closed or broken");
        }
    }

    @Override
    public long lost() {
        return losses.total();
    }

    /** Leaves standard output open: it belongs to the process. */
    @Override
    public void close() {}
}
