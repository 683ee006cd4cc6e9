package dev.sluice.cli;

import dev.sluice.SluiceRuntime;
import dev.sluice.config.ConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code sluice train}: a short run of the whole proxy — config loading, the admin listener, the
 * relay with keep-alive, chunked and pipelined requests — on ports the system picks, for the JVM to
 * record an ahead-of-time cache of what start-up loads and links ({@code -XX:AOTCacheOutput}). The
 * launcher runs it after a build; {@code serve} and {@code demo} then start in about half the time.
 */
@Command(name = "train", hidden = true,
        description = "Run a short workload so the JVM can record a start-up cache (the launcher does this).")
final class TrainCommand implements Callable<Integer> {

    private static final int REQUESTS = 300;

    @Override
    public Integer call() throws Exception {
        try (DemoBackend backend = new DemoBackend("T");
                SluiceRuntime runtime = SluiceRuntime.start(ConfigLoader.parse("""
                        listen: 127.0.0.1:0
                        admin: 0
                        pools: { web: { backends: [127.0.0.1:%d] } }
                        routes: [ { pool: web } ]
                        """.formatted(backend.port()), "train.yaml"))) {
            int port = runtime.server().address().getPort();
            try (Socket s = new Socket("127.0.0.1", port)) {
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                for (int i = 0; i < REQUESTS; i++) {
                    String request = switch (i % 3) {
                        case 0 -> "GET /train/" + i + " HTTP/1.1\r\nHost: train.test\r\n\r\n";
                        case 1 -> "POST /train HTTP/1.1\r\nHost: train.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                                + "5\r\nhello\r\n0\r\n\r\n";
                        default -> "GET /a HTTP/1.1\r\nHost: train.test\r\n\r\nGET /b HTTP/1.1\r\nHost: train.test\r\n\r\n";
                    };
                    out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    for (int n = i % 3 == 2 ? 2 : 1; n > 0; n--) {
                        readResponse(in);
                    }
                }
            }
            runtime.drain(Duration.ofSeconds(2));
        }
        return 0;
    }

    /** Reads one response with a Content-Length body, as the demo backend sends them. */
    private static void readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("the proxy closed the connection mid-response");
            }
            head.append((char) c);
        }
        String text = head.toString().toLowerCase(Locale.ROOT);
        int at = text.indexOf("content-length:");
        int length = Integer.parseInt(text.substring(at + 15, text.indexOf("\r\n", at)).strip());
        in.readNBytes(length);
    }
}
