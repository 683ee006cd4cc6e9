package dev.sluice.inspect;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;

/**
 * One exchange, start to end, on a connection of its own: resolve, connect, TLS, write the
 * request, read the response, close. Each step's end is timed; every byte is kept; any way it
 * can fail becomes a {@link Failure} in the {@link Exchange} instead of an exception.
 */
final class Call {

    private static final int WRITE_CHUNK = 16 * 1024;
    /** Room on the wire beyond the body for heads, chunk sizes and trailers. */
    private static final long WIRE_SLACK = 4L << 20;

    private final RequestSpec spec;
    private final Resolver resolver;
    private final long deadline;
    private final List<String> notes = new ArrayList<>();
    private long start;
    private Duration dns;
    private Duration connect;
    private Duration tls;
    private Duration sent;
    private InetSocketAddress remote;
    private TlsInfo tlsInfo;
    private WireTap tap;
    private ResponseReader reader;

    /** {@code deadline}: System.nanoTime by which the whole transfer must end. */
    Call(RequestSpec spec, Resolver resolver, long deadline) {
        this.spec = spec;
        this.resolver = resolver;
        this.deadline = deadline;
    }

    Exchange run() {
        start = System.nanoTime();
        Instant started = Instant.now();
        WireRequest request = WireRequest.of(spec);
        SendOptions o = spec.options();
        long connectDeadline = Math.min(deadline - start, o.connectTimeout().toNanos()) + start;
        Response response = null;
        Failure failure = null;
        try (Watchdog dog = Watchdog.start(start, connectDeadline, o.stallTimeout())) {
            tap = new WireTap(Math.min(2 * o.maxFileSize() + WIRE_SLACK, Integer.MAX_VALUE - 8), dog);
            try {
                response = exchange(request, dog, connectDeadline);
            } catch (ExchangeFailed e) {
                failure = stopped(dog, e.failure());
            } catch (IOException e) {
                failure = stopped(dog, e instanceof WireTap.LimitReached ? new Failure(Failure.Kind.TOO_LARGE, e.getMessage())
                        : new Failure(Failure.Kind.RECEIVE, "Recv failure: " + e.getMessage()));
            }
            if (failure != null && reader != null) {
                response = reader.partial();
            }
        }
        if (response != null) {
            response = decoded(response, o.maxFileSize());
        }
        Timings timings = new Timings(dns, connect, tls, sent,
                tap.firstByte() == 0 ? null : Duration.ofNanos(tap.firstByte() - start), since());
        return new Exchange(spec, request, started, remote, tlsInfo, timings, tap.sent(), tap.received(), response,
                failure, notes);
    }

    private Response exchange(WireRequest request, Watchdog dog, long connectDeadline) throws IOException, ExchangeFailed {
        SendOptions o = spec.options();
        HttpProxy proxy = o.proxy();
        if (proxy != null && spec.url().secure()) {
            throw new ExchangeFailed(Failure.Kind.NOT_BUILT_IN, "https through a proxy needs a CONNECT tunnel, which"
                    + " sluice inspect does not make yet; send http, or drop -x");
        }
        String host = proxy == null ? spec.url().host() : proxy.host();
        int port = proxy == null ? spec.url().effectivePort() : proxy.port();
        List<InetAddress> addresses = resolve(host, proxy != null, connectDeadline);
        dns = since();
        try (Socket plain = connect(addresses, host, port, connectDeadline, dog)) {
            connect = since();
            Socket socket = plain;
            if (spec.url().secure()) {
                socket = handshake(plain, host, port);
                tls = since();
            }
            dog.transferring(deadline);
            IOException writeFailure = write(request, socket.getOutputStream());
            if (writeFailure == null) {
                sent = since();
            }
            InputStream in = new BufferedInputStream(tap.input(socket.getInputStream()), 64 * 1024);
            reader = new ResponseReader(in, o.maxFileSize());
            try {
                Response r = reader.read(spec.method().equals("HEAD"));
                if (writeFailure != null) {
                    notes.add("the server answered before the whole request was sent (" + tap.sent().size() + " of "
                            + (request.head().size() + request.body().size()) + " bytes): " + writeFailure.getMessage());
                }
                return r;
            } catch (ExchangeFailed | IOException e) {
                if (writeFailure != null && reader.partial() == null) {
                    throw new ExchangeFailed(Failure.Kind.SEND, "Failed sending data to the peer: "
                            + writeFailure.getMessage());
                }
                throw e;
            }
        }
    }

    /** Resolves within the connect deadline; a resolver cannot be interrupted, so it runs apart and is waited for. */
    private List<InetAddress> resolve(String host, boolean isProxy, long connectDeadline) throws ExchangeFailed, IOException {
        if (isAddress(host)) {
            try {
                return List.of(InetAddress.ofLiteral(host)); // nothing to look up: DNS takes no time, as in curl
            } catch (IllegalArgumentException e) {
                // digits and dots that are no address ("1.2.3"): the resolver says what they are
            }
        }
        CompletableFuture<List<InetAddress>> lookup = new CompletableFuture<>();
        Thread.ofVirtual().name("inspect-resolve").start(() -> {
            try {
                lookup.complete(resolver.resolve(host));
            } catch (UnknownHostException | RuntimeException e) {
                lookup.completeExceptionally(e);
            }
        });
        try {
            List<InetAddress> found = lookup.get(Math.max(0, connectDeadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (found.isEmpty()) {
                throw new UnknownHostException(host);
            }
            return found;
        } catch (ExecutionException | UnknownHostException e) {
            throw new ExchangeFailed(isProxy ? Failure.Kind.PROXY_DNS : Failure.Kind.DNS,
                    "Could not resolve " + (isProxy ? "proxy: " : "host: ") + host);
        } catch (TimeoutException e) {
            throw new ExchangeFailed(Failure.Kind.TIMEOUT, "Resolving timed out after " + since().toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExchangeFailed(Failure.Kind.CANCELLED, "cancelled while resolving " + host);
        }
    }

    private static boolean isAddress(String host) {
        return host.contains(":") || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    /** Tries each address in turn, as curl does when one refuses. */
    private Socket connect(List<InetAddress> addresses, String host, int port, long connectDeadline, Watchdog dog)
            throws IOException, ExchangeFailed {
        IOException last = null;
        for (InetAddress a : addresses) {
            long left = Duration.ofNanos(connectDeadline - System.nanoTime()).toMillis();
            if (left <= 0) {
                break;
            }
            InetSocketAddress address = new InetSocketAddress(a, port);
            Socket s = new Socket();
            try {
                s.connect(address, (int) Math.min(left, Integer.MAX_VALUE));
                remote = address;
                dog.watch(s);
                return s;
            } catch (SocketTimeoutException e) {
                s.close();
                throw new ExchangeFailed(Failure.Kind.TIMEOUT, "Connection timed out after " + since().toMillis()
                        + " ms (--connect-timeout)");
            } catch (IOException e) {
                s.close();
                if (Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                last = e;
            }
        }
        if (last == null) {
            throw new ExchangeFailed(Failure.Kind.TIMEOUT, "Connection timed out after " + since().toMillis()
                    + " ms (--connect-timeout)");
        }
        String why = last instanceof ConnectException && "Connection refused".equals(last.getMessage())
                ? "Connection refused" : String.valueOf(last.getMessage());
        throw new ExchangeFailed(Failure.Kind.CONNECT, "Failed to connect to " + host + " port " + port + " after "
                + since().toMillis() + " ms: " + why);
    }

    private SSLSocket handshake(Socket plain, String host, int port) throws IOException, ExchangeFailed {
        SSLSocket s = (SSLSocket) TlsContexts.of(spec.options()).getSocketFactory().createSocket(plain, host, port, true);
        SSLParameters p = s.getSSLParameters();
        if (!spec.options().insecure()) {
            p.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host (RFC 9110 §4.3.4)
        }
        if (!isAddress(host)) {
            p.setServerNames(List.of(new SNIHostName(host))); // SNI names hosts, never addresses (RFC 6066 §3)
        }
        p.setApplicationProtocols(new String[] {"http/1.1"});
        s.setSSLParameters(p);
        try {
            s.startHandshake();
        } catch (SSLHandshakeException e) {
            if (isCertificateProblem(e)) {
                throw new ExchangeFailed(Failure.Kind.TLS_CERTIFICATE, "SSL certificate problem: " + e.getMessage()
                        + " (-k/--insecure skips the check; --cacert FILE trusts another CA)");
            }
            throw new ExchangeFailed(Failure.Kind.TLS, "TLS handshake failed: " + e.getMessage());
        } catch (SSLException e) {
            throw new ExchangeFailed(Failure.Kind.TLS, "TLS handshake failed: " + e.getMessage());
        }
        tlsInfo = tlsInfo(s);
        return s;
    }

    private static boolean isCertificateProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateException || t instanceof java.security.cert.CertPathValidatorException) {
                return true;
            }
        }
        return false;
    }

    private static TlsInfo tlsInfo(SSLSocket s) {
        var session = s.getSession();
        try {
            if (session.getPeerCertificates()[0] instanceof X509Certificate c) {
                return new TlsInfo(session.getProtocol(), session.getCipherSuite(), c.getSubjectX500Principal().getName(),
                        c.getIssuerX500Principal().getName(), c.getNotAfter().toInstant());
            }
        } catch (SSLPeerUnverifiedException e) {
            // no certificate: an anonymous or PSK session; the protocol and suite say enough
        }
        return new TlsInfo(session.getProtocol(), session.getCipherSuite(), null, null, null);
    }

    /** Writes the request in pieces; a failure is returned, not thrown, so that an early answer can still be read. */
    private IOException write(WireRequest request, OutputStream socketOut) {
        OutputStream out = tap.output(socketOut);
        try {
            for (ByteString part : List.of(request.head(), request.body())) {
                byte[] b = part.toByteArray();
                for (int off = 0; off < b.length; off += WRITE_CHUNK) {
                    out.write(b, off, Math.min(WRITE_CHUNK, b.length - off));
                }
            }
            out.flush();
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    /**
     * The failure to report: when the watchdog closed the socket, or the thread was interrupted,
     * whatever broke after is only the way it showed.
     */
    private Failure stopped(Watchdog dog, Failure seen) {
        if (dog.expired() != null && seen.kind() != Failure.Kind.TIMEOUT) {
            return new Failure(Failure.Kind.TIMEOUT, dog.expired()
                    + (connect == null ? "" : " with " + tap.received().size() + " bytes received"));
        }
        if (Thread.currentThread().isInterrupted()) {
            return new Failure(Failure.Kind.CANCELLED, "cancelled (the sending thread was interrupted)");
        }
        return seen;
    }

    private Response decoded(Response r, long max) {
        ContentDecoding.Result d = ContentDecoding.decode(r.head().headers(), r.entity(), max);
        if (d.problem() != null) {
            notes.add(d.problem());
        }
        return new Response(r.head(), r.informational(), r.framing(), r.entity(), d.body(), r.trailers(), r.complete());
    }

    private Duration since() {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
