package io.slipway.container.oci;

import java.net.URI;

/**
 * How to reach one registry: {@code host[:port]}, whether it speaks plain HTTP, and the credentials for basic
 * auth or for its token service (either may be null for anonymous access). The password never appears in
 * {@link #toString()}.
 */
public record RegistryEndpoint(String host, boolean plainHttp, String username, String password) {

    public URI baseUri() {
        return URI.create((plainHttp ? "http" : "https") + "://" + host + "/");
    }

    public boolean hasCredentials() {
        return username != null && !username.isEmpty() && password != null;
    }

    @Override
    public String toString() {
        return baseUri() + (hasCredentials() ? " as " + username : " (anonymous)");
    }
}
