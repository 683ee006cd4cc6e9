package dev.sluice.health;

import dev.sluice.balance.Backend;
import dev.sluice.config.HealthCheck;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.resolver.NoopAddressResolverGroup;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.ConnectException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The repeated check of one backend, on one event loop: a new connection and one request each
 * time, like HAProxy's, and the rise/fall count that turns results into a verdict. Only its loop
 * touches its state; {@link #start} and {@link #stop} hand over to it.
 */
final class HealthProbe {

    // Under the public class's name: operators filter health check lines by one logger.
    private static final Logger log = LoggerFactory.getLogger(ActiveHealthChecker.class);

    private final Backend backend;
    private final String pool;
    private final HealthCheck check;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final String host;
    private final long intervalNanos;
    private final long timeoutNanos;

    private boolean stopped;
    private int passes;
    private int failures;
    private ScheduledFuture<?> next;
    /** The connection of the check under way, or {@code null}; results from any other are stale. */
    private Channel checking;
    private ScheduledFuture<?> deadline;
    private long startedNanos;

    private HealthProbe(Backend backend, String pool, HealthCheck check, EventLoop loop,
            Class<? extends SocketChannel> channelType) {
        this.backend = backend;
        this.pool = pool;
        this.check = check;
        this.loop = loop;
        this.host = check.host() != null ? check.host() : backend.endpoint().authority();
        this.intervalNanos = check.interval().toNanos();
        this.timeoutNanos = check.timeout().toNanos();
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(channelType)
                // Addresses are resolved by the control plane: never look up names on an event loop.
                .resolver(NoopAddressResolverGroup.INSTANCE)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HealthCheckHandler(HealthProbe.this));
                    }
                });
    }

    /**
     * Starts checking; the first check comes at a random point within one interval, so the checks
     * of backends started together (every backend, at start) do not all fall on the same moment.
     */
    static HealthProbe start(Backend backend, String pool, HealthCheck check, EventLoop loop,
            Class<? extends SocketChannel> channelType) {
        HealthProbe probe = new HealthProbe(backend, pool, check, loop, channelType);
        loop.execute(() -> probe.schedule(ThreadLocalRandom.current().nextLong(probe.intervalNanos)));
        return probe;
    }

    /** Whether this probe checks for {@code pool} with {@code check}. */
    boolean runs(String pool, HealthCheck check) {
        return this.pool.equals(pool) && this.check.equals(check);
    }

    /**
     * Stops checking and drops a check under way.
     *
     * @param release whether to mark the backend up: nothing checks it any more
     */
    void stop(boolean release) {
        loop.execute(() -> {
            stopped = true;
            if (next != null) {
                next.cancel(false);
            }
            if (checking != null) {
                closeCheck();
            }
            if (release && backend.isDown()) {
                backend.markDown(false);
                log.info("health_check_removed backend={} pool={}: marked up, as nothing checks it now", backend, pool);
            }
        });
    }

    /** The check request; a new one each time, as writing it releases it. */
    FullHttpRequest request() {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(check.method()),
                check.path(), Unpooled.EMPTY_BUFFER);
        request.headers()
                .set(HttpHeaderNames.HOST, host)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set(HttpHeaderNames.USER_AGENT, "sluice-health-check");
        return request;
    }

    /** {@code channel}'s check got a response with {@code status}. */
    void answered(Channel channel, int status) {
        if (channel == checking) {
            end(status >= check.expectMin() && status <= check.expectMax(), "status_" + status);
        }
    }

    /** {@code channel}'s check got no response, for {@code cause}. */
    void failed(Channel channel, String cause) {
        if (channel == checking) {
            end(false, cause);
        }
    }

    private void schedule(long delayNanos) {
        if (!stopped) {
            next = loop.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void check() {
        next = null;
        startedNanos = System.nanoTime();
        ChannelFuture connect = bootstrap.connect(backend.address());
        Channel ch = connect.channel();
        checking = ch;
        // One deadline for connect and response together.
        deadline = loop.schedule(() -> failed(ch, "timeout"), timeoutNanos, TimeUnit.NANOSECONDS);
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                failed(ch, f.cause() instanceof ConnectException ? "connect_refused" : "connect_failed");
            }
        });
    }

    private void end(boolean passed, String cause) {
        closeCheck();
        verdict(passed, cause);
        // Checks start an interval apart, not an interval after the last one ended.
        schedule(Math.max(0, jittered() - (System.nanoTime() - startedNanos)));
    }

    /** Closes the check under way; whatever its connection reports from now on is stale. */
    private void closeCheck() {
        deadline.cancel(false);
        Channel ch = checking;
        checking = null; // before closing: the close itself is reported as connection_closed
        ch.close();
    }

    private void verdict(boolean passed, String cause) {
        if (passed) {
            failures = 0;
            passes++;
            // A passed check also ends an outlier ejection early.
            backend.unEject();
            if (backend.isDown() && passes >= check.rise()) {
                backend.markDown(false);
                log.info("health_check_up backend={} pool={} passes={}", backend, pool, passes);
            }
        } else {
            passes = 0;
            failures++;
            if (!backend.isDown() && failures >= check.fall()) {
                backend.markDown(true);
                log.warn("health_check_down backend={} pool={} cause={} failures={}", backend, pool, cause, failures);
            }
        }
    }

    /** The interval ± up to {@code jitterPercent}, so checks of many backends drift apart. */
    private long jittered() {
        long spread = intervalNanos * check.jitterPercent() / 100;
        return spread == 0 ? intervalNanos : intervalNanos + ThreadLocalRandom.current().nextLong(-spread, spread + 1);
    }
}
