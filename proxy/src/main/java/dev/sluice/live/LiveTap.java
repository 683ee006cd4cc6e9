package dev.sluice.live;

import static java.util.Objects.requireNonNull;

import dev.sluice.accesslog.AccessRecord;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * ⑦ Live traffic for whoever watches ({@code GET /api/live}, {@code sluice inspect --live}): each
 * finished request with the head it came with, so a watcher can see it and send it again.
 *
 * <p>Nothing is captured while no one watches: the data path asks {@link #watching()} (a volatile
 * read) before it copies a request's headers. Each watcher takes at most its rate of requests a
 * second (a token bucket); the rest are skipped and counted, so a busy proxy is sampled, and what
 * a watcher is handed is bounded whatever the load. Events are handed to the watcher's own
 * executor (its connection's event loop), never delivered on the data path.
 */
public final class LiveTap {

    /** Watchers at once; more are refused. */
    public static final int MAX_WATCHERS = 16;
    /** Requests a second a watcher is shown unless it asks for fewer. */
    public static final int MAX_RATE = 100;

    /** A request header as it came. */
    public record Header(String name, String value) {}

    /**
     * One request, as a watcher is shown it.
     *
     * @param headers the request's header fields as the client sent them
     * @param skipped requests this watcher was not shown since the last one it was: the sampling
     */
    public record Event(AccessRecord record, List<Header> headers, long skipped) {}

    private final CopyOnWriteArrayList<Watcher> watchers = new CopyOnWriteArrayList<>();
    private volatile boolean watching;

    /** Whether anyone watches: the data path captures request heads only then. */
    public boolean watching() {
        return watching;
    }

    /** A finished request; called on an event loop, returns at once. */
    public void offer(AccessRecord record, List<Header> headers) {
        for (Watcher w : watchers) {
            w.offer(record, headers);
        }
    }

    /**
     * Starts showing {@code deliver} up to {@code rate} requests a second, on {@code executor}.
     *
     * @throws IllegalStateException when {@link #MAX_WATCHERS} already watch
     */
    public synchronized Watcher watch(int rate, Executor executor, Consumer<Event> deliver) {
        if (watchers.size() >= MAX_WATCHERS) {
            throw new IllegalStateException(MAX_WATCHERS + " watchers already; close one first");
        }
        Watcher w = new Watcher(this, Math.max(1, Math.min(rate, MAX_RATE)), executor, deliver);
        watchers.add(w);
        watching = true;
        return w;
    }

    private synchronized void remove(Watcher w) {
        watchers.remove(w);
        watching = !watchers.isEmpty();
    }

    /** One watcher: its token bucket, what it skipped, where its events go. */
    public static final class Watcher implements AutoCloseable {
        private static final long SECOND = 1_000_000_000L;

        private final LiveTap tap;
        private final long nanosPerEvent;
        private final Executor executor;
        private final Consumer<Event> deliver;
        /** When this watcher's next event is due (GCRA): a second's worth may come at once. */
        private long due;
        private long skipped;

        private Watcher(LiveTap tap, int rate, Executor executor, Consumer<Event> deliver) {
            this.tap = tap;
            this.nanosPerEvent = SECOND / rate;
            this.executor = requireNonNull(executor, "executor");
            this.deliver = requireNonNull(deliver, "deliver");
            this.due = System.nanoTime();
        }

        // Called from every event loop of the proxy, hence synchronized; held for a few field updates.
        private synchronized void offer(AccessRecord record, List<Header> headers) {
            long now = System.nanoTime();
            long next = Math.max(due, now);
            if (next - now > SECOND - nanosPerEvent) {
                skipped++;
                return;
            }
            due = next + nanosPerEvent;
            Event event = new Event(record, headers, skipped);
            skipped = 0;
            try {
                executor.execute(() -> deliver.accept(event));
            } catch (RejectedExecutionException closing) {
                close(); // the watcher's loop is shutting down: it watches no more
            }
        }

        /** Stops watching. */
        @Override
        public void close() {
            tap.remove(this);
        }
    }
}
