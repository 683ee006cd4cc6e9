package dev.sluice.relay;

import dev.sluice.health.PoolGuard;
import java.util.concurrent.TimeUnit;

/**
 * ⑥ The timers of an exchange, on its event loop: {@code total} from the request head on;
 * {@code response} from the last request byte to the response head; {@code idle} between reads of
 * the response body. A timer that fires before the response head gives 504 (or a retry); after it,
 * the client connection closes without completing the message.
 */
final class ExchangeTimers {

    private ExchangeTimers() {}

    static void startTotal(Exchange ex, FrontendHandler front) {
        long total = ex.guard().totalTimeoutNanos();
        if (total > 0) {
            ex.totalTimer = front.executor().schedule(
                    () -> front.upstreamTimedOut(ex, "upstream_total_timeout"), total, TimeUnit.NANOSECONDS);
        }
    }

    /** The request is all upstream: the response head must follow within {@code response}. */
    static void awaitResponse(Exchange ex, FrontendHandler front) {
        long response = ex.guard().responseTimeoutNanos();
        cancelWait(ex);
        if (response > 0) {
            ex.waitTimer = front.executor().schedule(
                    () -> front.upstreamTimedOut(ex, "upstream_response_timeout"), response, TimeUnit.NANOSECONDS);
        }
    }

    /** The response head came: from now on the body must keep coming, never idle for {@code idle}. */
    static void responseStarted(Exchange ex, FrontendHandler front) {
        cancelWait(ex);
        ex.lastReadNanos = System.nanoTime();
        PoolGuard guard = ex.guard();
        if (guard.idleTimeoutNanos() > 0) {
            scheduleIdleCheck(ex, front, guard.idleTimeoutNanos());
        }
    }

    /**
     * One timer per idle period rather than one per read: when it fires it compares the time of the
     * last read and sleeps again for what is left.
     */
    private static void scheduleIdleCheck(Exchange ex, FrontendHandler front, long delayNanos) {
        ex.waitTimer = front.executor().schedule(() -> {
            if (ex.responseDone) {
                return;
            }
            long idle = ex.guard().idleTimeoutNanos();
            if (ex.upstream != null && !ex.upstream.config().isAutoRead()) {
                // Not reading because the client is slow (backpressure): not the backend's silence.
                ex.lastReadNanos = System.nanoTime();
            }
            long quiet = System.nanoTime() - ex.lastReadNanos;
            if (quiet >= idle) {
                front.upstreamTimedOut(ex, "upstream_idle_timeout");
            } else {
                scheduleIdleCheck(ex, front, idle - quiet);
            }
        }, delayNanos, TimeUnit.NANOSECONDS);
    }

    private static void cancelWait(Exchange ex) {
        if (ex.waitTimer != null) {
            ex.waitTimer.cancel(false);
            ex.waitTimer = null;
        }
    }
}
