package dev.sluice.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * ⑦ The {@link RequestSeries} of every (route, pool, backend) seen, at most {@code max} of them;
 * records of any other triple count into one overflow series labelled {@code other}. Looked up
 * route → pool → backend, three hash-map reads of strings and no allocation, so a record needs no
 * key object; only a first sighting takes the lock.
 */
final class SeriesTable {

    /** Makes the series of a triple seen for the first time. */
    @FunctionalInterface
    interface Factory {
        RequestSeries create(String route, String pool, String backend);
    }

    private final Map<String, Map<String, Map<String, RequestSeries>>> byRoute = new ConcurrentHashMap<>();
    private final Factory factory;
    private final int max;
    private int size;
    private RequestSeries overflow;

    SeriesTable(int max, Factory factory) {
        if (max < 1) {
            throw new IllegalArgumentException("max " + max);
        }
        this.max = max;
        this.factory = factory;
    }

    RequestSeries get(String route, String pool, String backend) {
        RequestSeries series = find(route, pool, backend);
        return series != null ? series : add(route, pool, backend);
    }

    private RequestSeries find(String route, String pool, String backend) {
        Map<String, Map<String, RequestSeries>> byPool = byRoute.get(route);
        Map<String, RequestSeries> byBackend = byPool == null ? null : byPool.get(pool);
        return byBackend == null ? null : byBackend.get(backend);
    }

    private synchronized RequestSeries add(String route, String pool, String backend) {
        RequestSeries series = find(route, pool, backend);
        if (series != null) {
            return series;
        }
        if (size >= max) {
            if (overflow == null) {
                overflow = factory.create(WordCounts.OTHER, WordCounts.OTHER, WordCounts.OTHER);
            }
            return overflow;
        }
        series = factory.create(route, pool, backend);
        byRoute.computeIfAbsent(route, r -> new ConcurrentHashMap<>())
                .computeIfAbsent(pool, p -> new ConcurrentHashMap<>())
                .put(backend, series);
        size++;
        return series;
    }

    /** Every series kept, the overflow last. */
    void forEach(Consumer<RequestSeries> action) {
        byRoute.values().forEach(byPool -> byPool.values().forEach(byBackend -> byBackend.values().forEach(action)));
        RequestSeries other;
        synchronized (this) {
            other = overflow;
        }
        if (other != null) {
            action.accept(other);
        }
    }

    /** Forgets the series {@code stale} matches; a record counted into one at this moment is lost. */
    synchronized void removeIf(Predicate<RequestSeries> stale) {
        byRoute.values().removeIf(byPool -> {
            byPool.values().removeIf(byBackend -> {
                int before = byBackend.size();
                byBackend.values().removeIf(stale);
                size -= before - byBackend.size();
                return byBackend.isEmpty();
            });
            return byPool.isEmpty();
        });
    }
}
