package dev.sluice.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** https against a real TLS server whose certificate, for localhost, is made by the JDK's keytool. */
class ClientTlsTest {

    private static final String PASSWORD = "changeit";

    @TempDir
    static Path dir;

    static HttpsServer server;
    static Path caPem;

    @BeforeAll
    static void start() throws Exception {
        Path keyStore = dir.resolve("server.p12");
        caPem = dir.resolve("ca.pem");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-keystore", keyStore.toString(),
                "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
                "-file", caPem.toString());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keyStore.toFile())) {
            ks.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD.toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setHttpsConfigurator(new HttpsConfigurator(ctx));
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", ex -> {
            byte[] body = "secret".getBytes(StandardCharsets.US_ASCII);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + ":\n" + out);
        }
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static String url(String host) {
        return "https://" + host + ":" + server.getAddress().getPort() + "/";
    }

    @Test
    void anUntrustedCertificateIsRefusedAsCurlRefusesIt() throws CurlException {
        Transfer t = Client.create().send(ClientTest.spec(url("localhost")));

        assertThat(t.exitCode()).isEqualTo(60);
        assertThat(t.failure().message()).startsWith("SSL certificate problem:").contains("-k/--insecure");
    }

    @Test
    void insecureSkipsTheCheckAndTheHandshakeIsTimed() throws CurlException {
        Transfer t = Client.create().send(ClientTest.spec("-k", url("127.0.0.1")));

        Exchange e = t.last().orElseThrow();
        assertThat(e.response().body().utf8()).isEqualTo("secret");
        assertThat(e.tls().protocol()).startsWith("TLSv1.");
        assertThat(e.tls().subject()).isEqualTo("CN=localhost");
        Timings tm = e.timings();
        assertThat(List.of(tm.dns(), tm.connect(), tm.tls(), tm.sent(), tm.firstByte(), tm.total()))
                .doesNotContainNull().isSorted();
        assertThat(e.received().utf8()).startsWith("HTTP/1.1 200 OK\r\n").endsWith("secret");
    }

    @Test
    void aCaCertFileIsTrustedAndTheNameChecked() throws CurlException {
        assertThat(Client.create().send(ClientTest.spec("--cacert", caPem.toString(), url("localhost"))).exitCode())
                .isZero();
        Client elsewhere = Client.using(host -> List.of(InetAddress.getLoopbackAddress()));
        Transfer wrongName = elsewhere.send(ClientTest.spec("--cacert", caPem.toString(), url("other.example")));
        assertThat(wrongName.exitCode()).isEqualTo(60);
    }

    @Test
    void aCaCertFileThatIsNotThere() throws CurlException {
        Transfer t = Client.create().send(ClientTest.spec("--cacert", dir.resolve("missing.pem").toString(), url("localhost")));

        assertThat(t.exitCode()).isEqualTo(77);
    }
}
