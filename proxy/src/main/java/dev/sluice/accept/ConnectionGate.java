package dev.sluice.accept;

import dev.sluice.metrics.ClientEvents;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ① The first handler of every client connection: admits it while there are fewer than
 * {@code limits.max_connections} open in all and fewer than {@code limits.max_connections_per_ip}
 * from its address; else closes it at once, before a byte of it is read.
 *
 * <p>Counts are atomics; an address's counter leaves the map when it drops to 0, so the map holds
 * only addresses with open connections. An admitted connection is counted down once, when it closes.
 */
@ChannelHandler.Sharable
public final class ConnectionGate extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ConnectionGate.class);
    /** What an address's counter holds while it leaves the map. */
    private static final int GONE = -1;

    private final int maxConnections;
    private final int maxPerIp;
    private final ClientEvents events;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perIp = new ConcurrentHashMap<>();
    private final CauseCount overall = refusals("client_connection_limit");
    private final CauseCount fromOneIp = refusals("client_ip_connection_limit");

    /**
     * @param maxConnections open client connections in all; 0: no limit
     * @param maxPerIp open connections from one address; 0: no limit
     * @param events told of each refusal
     */
    public ConnectionGate(int maxConnections, int maxPerIp, ClientEvents events) {
        if (maxConnections < 0 || maxPerIp < 0) {
            throw new IllegalArgumentException("maxConnections " + maxConnections + ", maxPerIp " + maxPerIp);
        }
        this.maxConnections = maxConnections;
        this.maxPerIp = maxPerIp;
        this.events = events;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetAddress ip = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        if (!enterIp(ip)) {
            refuse(ctx, fromOneIp, ip);
            return;
        }
        if (open.incrementAndGet() > maxConnections && maxConnections > 0) {
            open.decrementAndGet();
            leaveIp(ip);
            refuse(ctx, overall, ip);
            return;
        }
        ctx.channel().closeFuture().addListener(f -> {
            open.decrementAndGet();
            leaveIp(ip);
        });
        ctx.fireChannelActive();
    }

    private boolean enterIp(InetAddress ip) {
        if (maxPerIp == 0) {
            return true;
        }
        while (true) {
            AtomicInteger count = perIp.computeIfAbsent(ip, k -> new AtomicInteger());
            int n = count.get();
            if (n == GONE) {
                perIp.remove(ip, count);
            } else if (n >= maxPerIp) {
                return false;
            } else if (count.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    private void leaveIp(InetAddress ip) {
        if (maxPerIp == 0) {
            return;
        }
        AtomicInteger count = perIp.get(ip);
        // Marked gone first, so a connection racing with the removal counts itself on a fresh counter.
        if (count.decrementAndGet() == 0 && count.compareAndSet(0, GONE)) {
            perIp.remove(ip, count);
        }
    }

    private void refuse(ChannelHandlerContext ctx, CauseCount refusals, InetAddress ip) {
        ctx.channel().config().setAutoRead(false); // nothing of it is read, let alone parsed
        ctx.close();
        refusals.count(ip.getHostAddress());
        events.rejected(refusals.word());
    }

    private static CauseCount refusals(String word) {
        return new CauseCount(log, word, "connections closed at accept");
    }
}
