package dev.sluice.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.OriginServer;
import dev.sluice.testing.TestProxy;
import org.junit.jupiter.api.Test;

/** -x through a real Sluice: the whole URL as the target, the proxy as the peer. */
class ClientProxyTest {

    @Test
    void aRequestThroughSluice() throws Exception {
        try (OriginServer origin = OriginServer.start("behind"); TestProxy proxy = TestProxy.toOne(origin.port())) {
            Transfer t = Client.create().send(ClientTest.spec("-x", "127.0.0.1:" + proxy.port(), "-U", "me:pw",
                    "http://shop.example/cart?id=7"));

            Exchange e = t.last().orElseThrow();
            assertThat(t.failure()).isNull();
            assertThat(e.request().requestLine()).isEqualTo("GET http://shop.example/cart?id=7 HTTP/1.1");
            assertThat(e.request().headers()).contains(new Header("Host", "shop.example"),
                    new Header("Proxy-Authorization", "Basic bWU6cHc="));
            assertThat(e.remote().getPort()).isEqualTo(proxy.port());
            String echo = e.response().body().utf8();
            assertThat(echo).contains("origin: behind", "uri: /cart?id=7", "header: host: shop.example",
                    "header: x-forwarded-for: 127.0.0.1");
        }
    }

    @Test
    void httpsThroughAProxyIsNotBuiltYet() throws CurlException {
        Transfer t = Client.create().send(ClientTest.spec("-x", "127.0.0.1:9", "https://shop.example/"));

        assertThat(t.exitCode()).isEqualTo(4);
        assertThat(t.failure().message()).contains("CONNECT tunnel");
    }
}
