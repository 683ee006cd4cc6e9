package dev.sluice.inspect;

import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The JDK TLS context a request's options call for: the system's trust, {@code --cacert}'s, or none ({@code -k}). */
final class TlsContexts {

    private TlsContexts() {}

    static SSLContext of(SendOptions o) throws ExchangeFailed {
        try {
            if (o.insecure()) {
                SSLContext c = SSLContext.getInstance("TLS");
                c.init(null, InsecureTrustManagerFactory.INSTANCE.getTrustManagers(), null);
                return c;
            }
            if (o.caCert() != null) {
                return trusting(o);
            }
            return SSLContext.getDefault();
        } catch (GeneralSecurityException e) {
            throw new ExchangeFailed(Failure.Kind.TLS, "cannot set up TLS: " + e.getMessage());
        }
    }

    private static SSLContext trusting(SendOptions o) throws ExchangeFailed, GeneralSecurityException {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(o.caCert())) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException | GeneralSecurityException e) {
            throw new ExchangeFailed(Failure.Kind.CA_CERT_FILE, "cannot use the CA certificate file " + o.caCert()
                    + " (--cacert): " + e.getMessage());
        }
        if (certs.isEmpty()) {
            throw new ExchangeFailed(Failure.Kind.CA_CERT_FILE, "no PEM certificate in " + o.caCert() + " (--cacert)");
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException("an empty key store cannot be made", e);
        }
        int i = 0;
        for (Certificate c : certs) {
            store.setCertificateEntry("ca-" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, tmf.getTrustManagers(), null);
        return c;
    }
}
