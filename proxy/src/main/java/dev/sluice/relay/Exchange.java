package dev.sluice.relay;

import dev.sluice.balance.Backend;
import dev.sluice.route.Route;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpRequest;

/**
 * ⑥ The state of one request on its way through the proxy: where it goes, which upstream
 * connection serves it, and how far each direction has got. Lives on one event loop; the request
 * side is driven by {@link FrontendHandler}, the response side by {@link BackendHandler}.
 */
final class Exchange {

    final HttpRequest request;
    final Route route;          // null when answered by the proxy itself
    final Backend backend;      // null when answered by the proxy itself
    final boolean clientHttp10;
    final boolean headRequest;

    /** Keep the client connection open after this response. */
    boolean keepClient;
    /** The upstream connection serving this exchange, once connected. */
    Channel upstream;
    /** The upstream connection may serve another request after this one. */
    boolean reuseUpstream;
    /** The rest of the request is read and dropped: the response does not depend on it. */
    boolean discarding;
    boolean requestDone;
    boolean responseStarted;
    boolean responseDone;
    private boolean backendReleased;

    Exchange(HttpRequest request, Route route, Backend backend, boolean clientHttp10, boolean keepClient) {
        this.request = request;
        this.route = route;
        this.backend = backend;
        this.clientHttp10 = clientHttp10;
        this.headRequest = io.netty.handler.codec.http.HttpMethod.HEAD.equals(request.method());
        this.keepClient = keepClient;
        if (backend != null) {
            backend.begin();
        }
    }

    /** Ends this request's share of its backend's load; safe to call more than once. */
    void releaseBackend() {
        if (backend != null && !backendReleased) {
            backendReleased = true;
            backend.end();
        }
    }

    boolean done() {
        return requestDone && responseDone;
    }
}
