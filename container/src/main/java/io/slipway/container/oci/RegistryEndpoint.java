package io.slipway.container.oci;

import java.net.URI;

/**
 * How to reach one registry: its {@code host[:port]} as image references name it, the {@code address} the HTTP calls
 * go to when this process reaches it under another name (a service in a container reaching {@code registry-staging:5000}
 * what the engine calls {@code 127.0.0.1:5101}; null or blank: the host itself), whether it speaks plain HTTP, and the
 * credentials for basic auth or for its token service (either may be null for anonymous access). The password never
 * appears in {@link #toString()}.
 */
public record RegistryEndpoint(String host, String address, boolean plainHttp, String username, String password) {

    /** A registry reached under the name its image references use. */
    public RegistryEndpoint(String host, boolean plainHttp, String username, String password) {
        this(host, null, plainHttp, username, password);
    }

    public RegistryEndpoint {
        address = address == null || address.isBlank() ? null : address.strip();
    }

    /** Where this process sends its calls: the address when one is configured, else the host. */
    public String reachedAt() {
        return address == null ? host : address;
    }

    public URI baseUri() {
        return URI.create((plainHttp ? "http" : "https") + "://" + reachedAt() + "/");
    }

    public boolean hasCredentials() {
        return username != null && !username.isEmpty() && password != null;
    }

    @Override
    public String toString() {
        return (address == null ? "" : host + " at ") + baseUri()
                + (hasCredentials() ? " as " + username : " (anonymous)");
    }
}
