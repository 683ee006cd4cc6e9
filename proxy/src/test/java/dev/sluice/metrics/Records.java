package dev.sluice.metrics;

import dev.sluice.accesslog.AccessRecord;
import dev.sluice.balance.Backend;
import dev.sluice.balance.Balance;
import dev.sluice.balance.Endpoint;
import dev.sluice.balance.LoadBalancer;
import dev.sluice.route.Pool;
import dev.sluice.route.Route;
import dev.sluice.route.RouteTable;
import java.net.InetSocketAddress;
import java.util.List;

/** Access records as the data path makes them, and route tables they fit, for feeding the metrics in tests. */
final class Records {

    private Records() {}

    /** A request to {@code host} that {@code route} sent to {@code backend} of {@code pool}. */
    static AccessRecord request(String route, String pool, String backend, String host, int status, long micros,
            long bytesIn, long bytesOut) {
        return new AccessRecord(System.currentTimeMillis(), "127.0.0.1", 40000, "GET", host, "/", "HTTP/1.1", status,
                bytesIn, bytesOut, bytesIn + 20, bytesOut - 10, route, pool, backend, micros, -1, micros / 2,
                status == 0 ? "client_abort" : "ok", "req-1", AccessRecord.NONE, "test");
    }

    /** A 200 through {@code web.example/ -> web} to 127.0.0.1:9001. */
    static AccessRecord ok(long micros) {
        return request("web.example/", "web", "127.0.0.1:9001", "web.example", 200, micros, 100, 1000);
    }

    static Backend backend(int port) {
        return new Backend(Endpoint.of("127.0.0.1", port), new InetSocketAddress("127.0.0.1", port));
    }

    /** Route {@code web.example/} to pool {@code web} of {@code backends}. */
    static RouteTable table(Backend... backends) {
        Pool web = new Pool("web", Balance.ROUND_ROBIN, LoadBalancer.roundRobin(List.of(backends)));
        return new RouteTable(1, List.of(new Route(0, "web.example", "/", web)));
    }
}
