package io.slipway.schemas.registry;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the schema registry is and how to reach it: one or more base URLs (tried in order when one is unreachable),
 * optional basic-auth user info {@code user:password}, and the connect and per-request timeouts. User info embedded
 * in a URL ({@code http://user:password@host:8081}) is taken as the credentials unless they are given explicitly.
 */
public record RegistrySettings(List<URI> urls, String userInfo, Duration connectTimeout, Duration requestTimeout) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    public RegistrySettings {
        if (urls == null || urls.isEmpty()) {
            throw new IllegalArgumentException("at least one schema registry URL is required");
        }
        String embeddedUserInfo = urls.get(0).getUserInfo();
        urls = urls.stream().map(RegistrySettings::checked).toList();
        if (userInfo == null || userInfo.isEmpty()) {
            userInfo = embeddedUserInfo;
        }
        if (userInfo != null && !userInfo.contains(":")) {
            throw new IllegalArgumentException("basic auth user info must be 'user:password'");
        }
        connectTimeout = positive(connectTimeout, DEFAULT_CONNECT_TIMEOUT, "connectTimeout");
        requestTimeout = positive(requestTimeout, DEFAULT_REQUEST_TIMEOUT, "requestTimeout");
    }

    /** Settings for a comma-separated list of base URLs, without credentials and with the default timeouts. */
    public static RegistrySettings of(String commaSeparatedUrls) {
        Objects.requireNonNull(commaSeparatedUrls, "schema registry URL");
        List<URI> urls = Arrays.stream(commaSeparatedUrls.split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).map(URI::create).toList();
        return new RegistrySettings(urls, null, null, null);
    }

    /** A copy that authenticates with HTTP basic auth; {@code userInfo} is {@code user:password}. */
    public RegistrySettings withBasicAuth(String userInfo) {
        return new RegistrySettings(urls, Objects.requireNonNull(userInfo, "userInfo"), connectTimeout, requestTimeout);
    }

    /** A copy with another connect timeout. */
    public RegistrySettings withConnectTimeout(Duration timeout) {
        return new RegistrySettings(urls, userInfo, timeout, requestTimeout);
    }

    /** A copy with another per-request timeout (connect plus response). */
    public RegistrySettings withRequestTimeout(Duration timeout) {
        return new RegistrySettings(urls, userInfo, connectTimeout, timeout);
    }

    /** The {@code Authorization} header value, when credentials are configured. */
    public Optional<String> authorization() {
        return Optional.ofNullable(userInfo)
                .map(info -> "Basic " + Base64.getEncoder().encodeToString(info.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public String toString() {
        return "RegistrySettings[urls=" + urls + ", userInfo=" + (userInfo == null ? "none" : userInfo.split(":", 2)[0] + ":****")
                + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout + "]";
    }

    private static URI checked(URI url) {
        String scheme = url.getScheme();
        if ((!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) || url.getHost() == null) {
            throw new IllegalArgumentException("schema registry URL must be http(s)://host[:port][/path], got " + withoutUserInfo(url));
        }
        return withoutUserInfo(url);
    }

    private static URI withoutUserInfo(URI url) {
        if (url.getRawUserInfo() == null) {
            return url;
        }
        try {
            return new URI(url.getScheme(), null, url.getHost(), url.getPort(), url.getPath(), url.getQuery(), url.getFragment());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid schema registry URL", e);
        }
    }

    private static Duration positive(Duration value, Duration fallback, String name) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return value;
    }
}
