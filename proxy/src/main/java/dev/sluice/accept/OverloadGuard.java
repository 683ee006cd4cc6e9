package dev.sluice.accept;

import static java.util.Objects.requireNonNull;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.UnixOperatingSystemMXBean;
import dev.sluice.config.FrontDoor;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ① Sheds new work when the process runs short of buffer memory or file descriptors. Above a high
 * mark it stops accepting connections (they wait in the listen backlog; nothing spins on
 * {@code EMFILE}) and new requests get 503, while transfers in flight go on and free what they
 * hold; once both resources are below their low marks it takes new work again.
 *
 * <p>Both are sampled on a thread of its own: counting file descriptors reads {@code /proc}, which
 * an event loop must not wait for. The data path reads only a volatile flag. Memory is read every
 * {@value #SAMPLE_MILLIS} ms; descriptors as often, unless counting them takes long (about 0.3 µs
 * each): then less often, so that counting never takes more than 1% of a core.
 */
public final class OverloadGuard implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OverloadGuard.class);
    static final long SAMPLE_MILLIS = 100;
    /** Counting descriptors may take one part in this many of the sampler's time. */
    private static final long FD_COUNT_SHARE = 100;

    /** A resource the guard watches: how much of it is in use now, and how much there is. */
    public record Resource(LongSupplier used, long limit) {
        public Resource {
            requireNonNull(used, "used");
        }
    }

    private final Resource memory;
    private final Resource fds;
    private final long memoryHigh;
    private final long memoryLow;
    private final long fdsHigh;
    private final long fdsLow;
    private final CauseCount shedRequests = new CauseCount(log, "overloaded", "requests answered 503");
    private final ScheduledExecutorService sampler;
    private volatile boolean shedding;
    private Channel listener;
    private long openFds;
    private long nextFdCount = System.nanoTime();

    /** Watches {@code memory} and {@code fds} against {@code marks}; sampling starts with {@link #watch}. */
    public OverloadGuard(FrontDoor.Overload marks, Resource memory, Resource fds) {
        requireNonNull(marks, "marks");
        this.memory = requireNonNull(memory, "memory");
        this.fds = requireNonNull(fds, "fds");
        this.memoryHigh = share(memory.limit(), marks.memoryHigh());
        this.memoryLow = share(memory.limit(), marks.memoryLow());
        this.fdsHigh = share(fds.limit(), marks.fdsHigh());
        this.fdsLow = share(fds.limit(), marks.fdsLow());
        this.sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-overload-guard");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The guard of this process: the direct memory held by buffers in use from {@code buffers} —
     * not what the pool keeps for later, or the guard would never recover — against the JVM's
     * direct memory limit, and the open file descriptors against the process's limit.
     */
    public static OverloadGuard forThisProcess(FrontDoor.Overload marks, PooledByteBufAllocator buffers) {
        return new OverloadGuard(marks, new Resource(buffers::pinnedDirectMemory, maxDirectMemory()),
                fileDescriptors());
    }

    /** Starts sampling; while shedding, {@code listener} accepts nothing. */
    public void watch(Channel listener) {
        this.listener = requireNonNull(listener, "listener");
        sampler.scheduleWithFixedDelay(this::sample, 0, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Whether new requests are to be refused now. */
    public boolean shedding() {
        return shedding;
    }

    /** Counts a request answered 503 because of the overload, for the log. */
    public void shed(String client) {
        shedRequests.count(client);
    }

    private void sample() {
        try {
            long mem = memory.used().getAsLong();
            long open = openFileDescriptors();
            if (!shedding && (mem >= memoryHigh || open >= fdsHigh)) {
                shedding = true;
                listener.config().setAutoRead(false);
                log.warn("overloaded: {}; not accepting connections, new requests get 503 until buffer memory "
                        + "is below {} and file descriptors below {}", reading(mem, open), memoryLow, fdsLow);
            } else if (shedding && mem < memoryLow && open < fdsLow) {
                shedding = false;
                listener.config().setAutoRead(true);
                log.info("overload_recovered: {}; accepting again", reading(mem, open));
            }
        } catch (RuntimeException e) { // a failed sample must not end the sampling
            log.error("overload guard sample failed", e);
        }
    }

    private long openFileDescriptors() {
        long start = System.nanoTime();
        if (start - nextFdCount >= 0) {
            openFds = fds.used().getAsLong();
            long end = System.nanoTime();
            nextFdCount = end + (end - start) * FD_COUNT_SHARE;
        }
        return openFds;
    }

    private String reading(long mem, long open) {
        return "buffer memory " + mem + " of " + memory.limit() + " bytes (high mark " + memoryHigh
                + "), file descriptors " + open + " of " + fds.limit() + " (high mark " + fdsHigh + ")";
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }

    private static long share(long limit, int percent) {
        return Math.max(1, limit / 100 * percent);
    }

    /** {@code -XX:MaxDirectMemorySize}, whose default (0) means as much as the largest heap. */
    private static long maxDirectMemory() {
        String value = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                .getVMOption("MaxDirectMemorySize").getValue();
        long max = Long.parseLong(value);
        return max > 0 ? max : Runtime.getRuntime().maxMemory();
    }

    private static Resource fileDescriptors() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (!(os instanceof UnixOperatingSystemMXBean unix)) {
            throw new IllegalStateException("cannot count file descriptors on " + os.getName());
        }
        return new Resource(unix::getOpenFileDescriptorCount, unix.getMaxFileDescriptorCount());
    }
}
