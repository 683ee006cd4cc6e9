package dev.sluice.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.testing.OriginServer;
import dev.sluice.testing.TestAdmin;
import dev.sluice.testing.WireClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request made through a running proxy shows in its live traffic, and sent again from there —
 * through the proxy, or straight to the backend that answered it — it arrives with the header
 * fields it first came with.
 */
class LiveFeedTest {

    private static final String TOKEN = "feed-s3cret";

    @TempDir
    Path dir;
    private OriginServer origin;
    private TestAdmin admin;

    @BeforeEach
    void start() {
        origin = OriginServer.start("o");
        admin = TestAdmin.toOne(dir, origin.port(), TOKEN);
    }

    @AfterEach
    void stop() {
        admin.close();
        origin.close();
    }

    @Test
    void aRequestSeenLiveIsReplayedThroughTheProxyAndToItsBackend() throws Exception {
        LinkedBlockingQueue<LiveRequest> seen = new LinkedBlockingQueue<>();
        Url adminUrl = Url.parse("http://127.0.0.1:" + admin.adminPort());
        try (LiveFeed feed = LiveFeed.open(adminUrl, TOKEN, 20, seen::add, e -> { })) {
            try (WireClient c = new WireClient(admin.proxyPort())) {
                c.send("GET /orders?id=7 HTTP/1.1\r\nHost: shop.test\r\nX-Trace: first\r\n\r\n").read();
            }
            LiveRequest request = seen.poll(10, TimeUnit.SECONDS);
            assertThat(request).isNotNull();
            assertThat(request.summary()).startsWith("200 GET     shop.test/orders?id=7");

            Client client = Client.create();
            Transfer viaProxy = client.send(request.replayTo(Url.parse("http://127.0.0.1:" + admin.proxyPort())));
            assertThat(viaProxy.response()).get().satisfies(r -> assertThat(r.status()).isEqualTo(200));
            String echo = text(viaProxy);
            assertThat(echo).contains("uri: /orders?id=7").contains("header: x-trace: first")
                    .contains("header: host: shop.test");

            Transfer direct = client.send(request.replayTo(Url.parse("http://" + request.backend())));
            assertThat(text(direct)).contains("header: x-trace: first").doesNotContain("x-forwarded-for");
        }
    }

    @Test
    void theProxysAddressComesFromItsConfigAndAChosenPortIsSaidToBeUnknown() throws Exception {
        Url adminUrl = Url.parse("http://127.0.0.1:" + admin.adminPort());
        assertThatThrownBy(() -> LiveFeed.proxyOf(adminUrl)).isInstanceOf(IOException.class)
                .hasMessageContaining("listens on a port the system chose (listen: 127.0.0.1:0)");
    }

    @Test
    void withoutTheTokenTheFeedIsRefusedAndSaysWhy() throws Exception {
        Url adminUrl = Url.parse("http://127.0.0.1:" + admin.adminPort());
        assertThatThrownBy(() -> LiveFeed.open(adminUrl, "wrong", 20, r -> { }, e -> { }))
                .isInstanceOf(IOException.class).hasMessageContaining("401").hasMessageContaining("token is wrong");
    }

    private static String text(Transfer t) {
        return new String(t.response().orElseThrow().body().toByteArray(), StandardCharsets.UTF_8);
    }
}
