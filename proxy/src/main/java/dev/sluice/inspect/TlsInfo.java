package dev.sluice.inspect;

import java.time.Instant;

/**
 * What the TLS handshake settled, and who the server said it was (its own certificate; null
 * fields when it sent none).
 */
public record TlsInfo(String protocol, String cipherSuite, String subject, String issuer, Instant notAfter) {}
