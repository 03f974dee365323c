package io.slipway.common.policy;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a credential may be sent: scheme, host and port, as browsers scope what a site may see. Two URLs share an
 * origin only when all three are equal (default ports written or not), so a credential bound to
 * {@code https://git.example.com} goes neither to another host, nor to another port, nor over plain HTTP.
 */
public record Origin(String scheme, String host, int port) {

    public Origin {
        scheme = scheme.toLowerCase(Locale.ROOT);
        host = CloneUrlPolicy.hostKey(host);
    }

    /** The origin of an absolute http(s) URL; empty when it has no scheme or host. */
    public static Optional<Origin> of(URI uri) {
        if (uri.getScheme() == null || uri.getHost() == null || uri.getHost().isEmpty()) {
            return Optional.empty();
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : defaultPort(scheme);
        return port < 0 ? Optional.empty() : Optional.of(new Origin(scheme, uri.getHost(), port));
    }

    /**
     * Reads what an operator writes to name a server: {@code https://git.example.com}, {@code http://10.0.0.5:3000},
     * or a bare {@code host[:port]}, which means https.
     *
     * @throws IllegalArgumentException when the text names no host, or has a path, query or user info
     */
    public static Origin parse(String text) {
        String value = text == null ? "" : text.strip();
        String url = value.contains("://") ? value : "https://" + value;
        try {
            URI uri = new URI(url);
            boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
                    && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
            Optional<Origin> origin = of(uri);
            if (bare && origin.isPresent()) {
                return origin.get();
            }
        } catch (URISyntaxException e) {
            // Reported below with the text as written.
        }
        throw new IllegalArgumentException("'" + value + "' is not a server origin; write scheme://host[:port], "
                + "e.g. https://git.example.com");
    }

    /** Whether {@code uri} is on this origin. */
    public boolean matches(URI uri) {
        return of(uri).filter(this::equals).isPresent();
    }

    private static int defaultPort(String scheme) {
        return switch (scheme) {
            case "https" -> 443;
            case "http" -> 80;
            default -> -1;
        };
    }

    @Override
    public String toString() {
        return scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
