package dev.sluice.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ⑦ Client bytes by host, the numbers customers are billed by: the data points of at most
 * {@code max} hosts, taken in the order they first come; every other host counts under
 * {@code host="other"}. Hosts are never forgotten while the process runs, so a host's counters only
 * grow (a restart starts them again, as Prometheus expects of counters).
 */
final class HostTable {

    /** The two counters of one host. */
    record HostBytes(CounterDataPoint received, CounterDataPoint sent) {}

    private final Map<String, HostBytes> byHost = new ConcurrentHashMap<>();
    private final Counter received;
    private final Counter sent;
    private final int max;
    private final HostBytes other;

    HostTable(int max, Counter received, Counter sent) {
        if (max < 1) {
            throw new IllegalArgumentException("max " + max);
        }
        this.max = max;
        this.received = received;
        this.sent = sent;
        this.other = new HostBytes(received.labelValues(WordCounts.OTHER), sent.labelValues(WordCounts.OTHER));
    }

    HostBytes get(String host) {
        HostBytes bytes = byHost.get(host);
        return bytes != null ? bytes : add(host);
    }

    private synchronized HostBytes add(String host) {
        HostBytes bytes = byHost.get(host);
        if (bytes != null) {
            return bytes;
        }
        if (byHost.size() >= max) {
            return other;
        }
        bytes = new HostBytes(received.labelValues(host), sent.labelValues(host));
        byHost.put(host, bytes);
        return bytes;
    }
}
