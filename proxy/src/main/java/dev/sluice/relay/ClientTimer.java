package dev.sluice.relay;

import dev.sluice.config.FrontDoor;
import java.util.concurrent.TimeUnit;

/**
 * ② Every wait on a client — and on a backend for it ({@link ExchangeTimers}) — has an end. One
 * timer per connection, set for the nearest deadline of the state the connection is in, set again
 * when it fires early, and brought forward only when a new deadline comes before it; never
 * cancelled:
 * <ul>
 *   <li>waiting for a request, nothing arrived: {@code keep_alive} (then close quietly);</li>
 *   <li>a request head arriving: {@code header} from its first byte (408, close) — slowloris;</li>
 *   <li>reading a request body, and wanting to: {@code body} since the last byte (408, close);</li>
 *   <li>the client taking none of its response: {@code write} since it stopped (close).</li>
 * </ul>
 */
final class ClientTimer {

    /** What the connection is waiting for, as the handler sees it. */
    enum Wait { NOTHING, REQUEST, BODY }

    private final FrontDoor.Timeouts timeouts;
    private final ClientWire clock;
    private final FrontendHandler front;
    private long idleSinceNanos = System.nanoTime();
    private long unwritableSinceNanos;
    /** When the pending check is due; a check that finds another due is superseded and stops. */
    private long nextCheckNanos;

    ClientTimer(FrontDoor.Timeouts timeouts, ClientWire clock, FrontendHandler front) {
        this.timeouts = timeouts;
        this.clock = clock;
        this.front = front;
    }

    void start() {
        schedule(Math.min(timeouts.keepAlive().toNanos(), timeouts.header().toNanos()));
    }

    /**
     * Makes the timer look no later than {@code dueNanos} (a wait on the backend ends then). Only a
     * deadline before the pending check schedules anything.
     */
    void wakeBy(long dueNanos) {
        if (dueNanos - nextCheckNanos < 0) {
            schedule(dueNanos - System.nanoTime());
        }
    }

    /**
     * The connection has no request any more: keep-alive idle time starts now. Bytes read during
     * the body no longer count as a head arriving.
     */
    void idle() {
        idleSinceNanos = System.nanoTime();
        clock.headComplete();
    }

    void writabilityChanged(boolean writable) {
        unwritableSinceNanos = writable ? 0 : System.nanoTime();
    }

    private void schedule(long delayNanos) {
        long delay = Math.max(delayNanos, TimeUnit.MILLISECONDS.toNanos(10));
        long due = System.nanoTime() + delay;
        nextCheckNanos = due;
        front.executor().schedule(() -> check(due), delay, TimeUnit.NANOSECONDS);
    }

    private void check(long due) {
        if (due != nextCheckNanos || front.closed()) {
            return;
        }
        long now = System.nanoTime();
        long next = front.checkUpstream(now);
        if (front.closed()) {
            return;
        }
        long stalled = unwritableSinceNanos;
        if (stalled != 0) {
            long left = timeouts.write().toNanos() - (now - stalled);
            if (left <= 0) {
                front.clientTimedOut("client_write_timeout", false);
                return;
            }
            next = Math.min(next, left);
        }
        switch (front.waitingFor()) {
            case REQUEST -> {
                long left = clock.headPending
                        ? timeouts.header().toNanos() - (now - clock.headStartNanos)
                        : timeouts.keepAlive().toNanos() - (now - Math.max(idleSinceNanos, clock.lastReadNanos));
                if (left <= 0) {
                    front.clientTimedOut(clock.headPending ? "client_header_timeout" : "client_keep_alive_timeout",
                            clock.headPending);
                    return;
                }
                next = Math.min(next, left);
            }
            case BODY -> {
                long left = timeouts.body().toNanos() - (now - clock.lastReadNanos);
                if (left <= 0) {
                    front.clientTimedOut("client_body_timeout", true);
                    return;
                }
                next = Math.min(next, left);
            }
            case NOTHING -> next = Math.min(next, Math.min(timeouts.body().toNanos(), timeouts.keepAlive().toNanos()));
        }
        // A wait begun during this check (a retry's) may have asked for an earlier look already.
        if (nextCheckNanos == due || System.nanoTime() + next - nextCheckNanos < 0) {
            schedule(next);
        }
    }
}
