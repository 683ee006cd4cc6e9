package dev.sluice.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * ⑦ The data points that requests of one (route, pool, backend) count into, looked up once when
 * the triple is first seen, so a request costs no label lookup. A status class's counter is taken
 * when the first request of that class comes, so classes never seen are not exposed.
 */
final class RequestSeries {

    /** Status class labels by {@link #statusClass} index; the same words as {@code AccessRecord.statusClass()}. */
    static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx", "none"};
    static final int CLIENT_ERROR = 3;
    static final int SERVER_ERROR = 4;

    final String route;
    final String pool;
    final String backend;
    final DistributionDataPoint latency;
    final CounterDataPoint upstreamSent;
    final CounterDataPoint upstreamReceived;
    private final Counter requests;
    private final AtomicReferenceArray<CounterDataPoint> byClass = new AtomicReferenceArray<>(STATUS_CLASSES.length);

    RequestSeries(String route, String pool, String backend, Counter requests, DistributionDataPoint latency,
            CounterDataPoint upstreamSent, CounterDataPoint upstreamReceived) {
        this.route = route;
        this.pool = pool;
        this.backend = backend;
        this.requests = requests;
        this.latency = latency;
        this.upstreamSent = upstreamSent;
        this.upstreamReceived = upstreamReceived;
    }

    /** The index in {@link #STATUS_CLASSES} of {@code status}'s class; 0 (none sent) and nonsense are {@code none}. */
    static int statusClass(int status) {
        return status >= 100 && status < 600 ? status / 100 - 1 : STATUS_CLASSES.length - 1;
    }

    CounterDataPoint requests(int statusClass) {
        CounterDataPoint point = byClass.get(statusClass);
        if (point == null) {
            // Two loops racing here get the same data point: the counter keeps one per label set.
            point = requests.labelValues(route, pool, backend, STATUS_CLASSES[statusClass]);
            byClass.set(statusClass, point);
        }
        return point;
    }

    /** Requests counted here, of every class. */
    long requestCount() {
        long n = 0;
        for (int i = 0; i < byClass.length(); i++) {
            CounterDataPoint point = byClass.get(i);
            n += point == null ? 0 : point.getLongValue();
        }
        return n;
    }
}
