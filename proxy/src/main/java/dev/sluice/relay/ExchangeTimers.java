package dev.sluice.relay;

import dev.sluice.health.PoolGuard;

/**
 * ⑥ The waits of an exchange on its backend, each with an end: {@code total} from the request head
 * on; {@code response} from the last request byte to the response head; {@code idle} between reads
 * of the response body. One that ends before the response head gives 504 (or a retry); after it,
 * the client connection closes without completing the message.
 *
 * <p>No timer is scheduled or cancelled per request: a wait sets a deadline on the exchange and
 * asks the connection's one {@link ClientTimer} to look no later than then; the timer asks
 * {@link #check} when it fires. Idle time is measured from the last read, so reads cost nothing.
 */
final class ExchangeTimers {

    private ExchangeTimers() {}

    static void startTotal(Exchange ex, ClientTimer timer) {
        long total = ex.guard().totalTimeoutNanos();
        if (total > 0) {
            ex.totalDue = true;
            ex.totalDueNanos = System.nanoTime() + total;
            timer.wakeBy(ex.totalDueNanos);
        }
    }

    /** The request is all upstream: the response head must follow within {@code response}. */
    static void awaitResponse(Exchange ex, ClientTimer timer) {
        long response = ex.guard().responseTimeoutNanos();
        ex.idleWatched = false;
        ex.responseDue = response > 0;
        if (ex.responseDue) {
            ex.responseDueNanos = System.nanoTime() + response;
            timer.wakeBy(ex.responseDueNanos);
        }
    }

    /** The response head came: from now on the body must keep coming, never idle for {@code idle}. */
    static void responseStarted(Exchange ex, ClientTimer timer) {
        ex.responseDue = false;
        ex.lastReadNanos = System.nanoTime();
        long idle = ex.guard().idleTimeoutNanos();
        ex.idleWatched = idle > 0;
        if (ex.idleWatched) {
            timer.wakeBy(ex.lastReadNanos + idle);
        }
    }

    /**
     * Ends the waits of {@code ex} that are over, through {@link FrontendHandler#upstreamTimedOut};
     * returns the nanoseconds until the next one ends, or {@link Long#MAX_VALUE}.
     */
    static long check(Exchange ex, FrontendHandler front, long now) {
        if (ex.responseDone) {
            return Long.MAX_VALUE;
        }
        long next = Long.MAX_VALUE;
        if (ex.totalDue) {
            if (now - ex.totalDueNanos >= 0) {
                front.upstreamTimedOut(ex, "upstream_total_timeout");
                return Long.MAX_VALUE; // whatever comes next (a retry) sets its own deadline
            }
            next = ex.totalDueNanos - now;
        }
        if (ex.responseDue) {
            if (now - ex.responseDueNanos >= 0) {
                front.upstreamTimedOut(ex, "upstream_response_timeout");
                return Long.MAX_VALUE;
            }
            next = Math.min(next, ex.responseDueNanos - now);
        } else if (ex.idleWatched) {
            PoolGuard guard = ex.guard();
            if (ex.upstream != null && !ex.upstream.config().isAutoRead()) {
                // Not reading because the client is slow (backpressure): not the backend's silence.
                ex.lastReadNanos = now;
            }
            long left = guard.idleTimeoutNanos() - (now - ex.lastReadNanos);
            if (left <= 0) {
                front.upstreamTimedOut(ex, "upstream_idle_timeout");
                return Long.MAX_VALUE;
            }
            next = Math.min(next, left);
        }
        return next;
    }
}
