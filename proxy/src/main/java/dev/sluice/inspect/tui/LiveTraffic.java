package dev.sluice.inspect.tui;

import dev.sluice.inspect.LiveFeed;
import dev.sluice.inspect.LiveRequest;
import dev.sluice.inspect.Url;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;

/**
 * The requests going through a running Sluice, for the inspector's live list: the last
 * {@value #KEPT}, newest first, and where to send one again — the backend that answered it, or,
 * for one no backend answered, the proxy (its address from the admin listener's config). Filled
 * from the feed's thread, read on the screen's: the list is guarded by this object.
 */
final class LiveTraffic implements AutoCloseable {

    static final int KEPT = 500;

    private final ArrayDeque<LiveRequest> seen = new ArrayDeque<>();
    private final Url admin;
    private final LiveFeed feed;
    private volatile String ended;

    private LiveTraffic(Url admin, String token, Consumer<String> changed) throws IOException {
        this.admin = admin;
        this.feed = LiveFeed.open(admin, token, 50, r -> {
            synchronized (this) {
                seen.addFirst(r);
                if (seen.size() > KEPT) {
                    seen.removeLast();
                }
            }
            changed.accept(r.summary());
        }, e -> {
            ended = "live traffic ended: " + e.getMessage();
            changed.accept(ended);
        });
    }

    /**
     * Watches the proxy whose admin listener is at {@code admin}; {@code changed} hears of each
     * request (its summary) and of the end, on the feed's thread.
     *
     * @throws IOException when the admin listener cannot be reached or refuses, saying why
     */
    static LiveTraffic watch(Url admin, String token, Consumer<String> changed) throws IOException {
        return new LiveTraffic(admin, token, changed);
    }

    synchronized List<LiveRequest> newestFirst() {
        return List.copyOf(seen);
    }

    /**
     * Where {@code request} is sent again: the backend that answered it, else the proxy.
     *
     * @throws IOException when the proxy's address is needed and the admin listener cannot tell it
     */
    Url target(LiveRequest request) throws IOException {
        String backend = request.backend();
        int colon = backend.lastIndexOf(':');
        if (colon > 0) {
            String host = backend.substring(0, colon);
            return new Url("http", host.startsWith("[") ? host.substring(1, host.length() - 1) : host,
                    Integer.parseInt(backend.substring(colon + 1)), "/", null, null);
        }
        return LiveFeed.proxyOf(admin);
    }

    /** The admin listener watched. */
    Url admin() {
        return admin;
    }

    /** Why the feed ended, or null while it runs. */
    String ended() {
        return ended;
    }

    @Override
    public void close() throws IOException {
        feed.close();
    }
}
