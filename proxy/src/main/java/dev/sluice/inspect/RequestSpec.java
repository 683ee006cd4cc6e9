package dev.sluice.inspect;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A request to send, as the user means it: method, URL, headers in order, body and how to send
 * it. What {@code -A}, {@code -u}, {@code -b}, {@code -d}… stand for is already here as headers
 * and bytes, so what is shown is what is sent; only {@code Host} and {@code Content-Length} are
 * made at send time from the URL and the body ({@link AutomaticHeader}), unless a header here
 * replaces them or {@code suppressed} leaves them out.
 *
 * <p>Made by {@link CurlCommand#parse}, written back by {@link CurlRenderer}, sent by
 * {@link Client#send}; change one with {@link #toBuilder()}.
 *
 * @param body the body, or null for none (an empty body is sent with {@code Content-Length: 0})
 */
public record RequestSpec(String method, Url url, List<Header> headers, Set<AutomaticHeader> suppressed,
        ByteString body, SendOptions options) {

    public RequestSpec {
        requireNonNull(method, "method");
        requireNonNull(url, "url");
        requireNonNull(options, "options");
        if (method.isEmpty() || !method.chars().allMatch(c -> Header.isTokenChar((char) c))) {
            throw new IllegalArgumentException("method \"" + method + "\" is not a token (RFC 9110 §9.1)");
        }
        headers = List.copyOf(headers);
        for (Header h : headers) {
            String problem = Header.nameProblem(h.name());
            if (problem == null) {
                problem = Header.valueProblem(h.name(), h.value());
            }
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
        }
        suppressed = Set.copyOf(suppressed);
    }

    /** A GET of {@code url} with no header, no body and the default options. */
    public static Builder builder(Url url) {
        return new Builder(url);
    }

    public Builder toBuilder() {
        return new Builder(url).method(method).headers(headers).suppressed(suppressed).body(body).options(options);
    }

    public boolean hasBody() {
        return body != null;
    }

    /** The value of the first header called {@code name}. */
    public Optional<String> header(String name) {
        return Header.first(headers, name);
    }

    /** Builds a {@link RequestSpec}. */
    public static final class Builder {
        private String method = "GET";
        private Url url;
        private final List<Header> headers = new ArrayList<>();
        private final Set<AutomaticHeader> suppressed = EnumSet.noneOf(AutomaticHeader.class);
        private ByteString body;
        private SendOptions options = SendOptions.DEFAULTS;

        private Builder(Url url) {
            this.url = requireNonNull(url, "url");
        }

        public Builder method(String v) {
            method = v;
            return this;
        }

        public Builder url(Url v) {
            url = requireNonNull(v, "url");
            return this;
        }

        /** Replaces the headers. */
        public Builder headers(List<Header> v) {
            headers.clear();
            headers.addAll(v);
            return this;
        }

        public Builder header(String name, String value) {
            headers.add(new Header(name, value));
            return this;
        }

        /** Removes every header called {@code name}. */
        public Builder removeHeader(String name) {
            headers.removeIf(h -> h.named(name));
            return this;
        }

        /** Replaces the automatic headers left out. */
        public Builder suppressed(Set<AutomaticHeader> v) {
            suppressed.clear();
            suppressed.addAll(v);
            return this;
        }

        /** The body, or null for none. */
        public Builder body(ByteString v) {
            body = v;
            return this;
        }

        public Builder options(SendOptions v) {
            options = requireNonNull(v, "options");
            return this;
        }

        public RequestSpec build() {
            return new RequestSpec(method, url, headers, suppressed, body, options);
        }
    }
}
