package io.slipway.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small client for the OCI distribution API: whether a manifest exists and its digest, from a {@code HEAD} of
 * {@code /v2/<name>/manifests/<reference>}. It authenticates the way the registry's {@code WWW-Authenticate}
 * challenge asks: HTTP basic, or a bearer token fetched from the challenge's realm with the credentials given (or
 * anonymously). Credentials come from the caller's configuration; nothing is read from Docker's config files.
 */
public final class OciRegistryClient {

    /** User and password (or token) for a registry; {@link #toString()} never shows the password. */
    public record Credentials(String username, String password) {
        String basic() {
            return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return "Credentials[username=" + username + ", password=****]";
        }
    }

    /** Every manifest media type Slipway can stage: OCI and Docker, single-platform and multi-platform. */
    static final String ACCEPT = String.join(",",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.docker.distribution.manifest.v2+json");

    private static final Pattern CHALLENGE_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI base;
    private final Credentials credentials;
    private final Duration timeout;
    private final Map<String, String> authorizations = new ConcurrentHashMap<>();

    /**
     * A client for the registry at {@code host} ({@code host[:port]}); {@code insecure} uses plain HTTP (a loopback
     * or lab registry). {@code credentials} may be null for anonymous access.
     */
    public OciRegistryClient(String host, boolean insecure, Credentials credentials, Duration timeout) {
        this(HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build(),
                URI.create((insecure ? "http://" : "https://") + host), credentials, timeout);
    }

    OciRegistryClient(HttpClient http, URI base, Credentials credentials, Duration timeout) {
        this.http = http;
        this.base = base;
        this.credentials = credentials;
        this.timeout = timeout;
    }

    /**
     * The digest ({@code sha256:…}, from {@code Docker-Content-Digest}) of {@code repository:reference}, or empty
     * when the registry has no such manifest.
     *
     * @throws RegistryException when the registry is unreachable, refuses the credentials or answers otherwise
     */
    public Optional<String> manifestDigest(String repository, String reference) {
        URI uri = base.resolve("/v2/" + repository + "/manifests/" + reference);
        HttpResponse<Void> response = send(HttpRequest.newBuilder(uri).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("Accept", ACCEPT), repository);
        return switch (response.statusCode()) {
            case 200 -> Optional.of(response.headers().firstValue("Docker-Content-Digest").orElseThrow(() ->
                    new RegistryException("HEAD " + uri + " answered 200 without a Docker-Content-Digest header", 200, null)));
            case 404 -> Optional.empty();
            default -> throw failure("HEAD " + uri, response.statusCode(), null);
        };
    }

    private HttpResponse<Void> send(HttpRequest.Builder request, String repository) {
        String authorization = authorizations.get(repository);
        HttpResponse<Void> response = exchange(request, authorization);
        if (response.statusCode() != 401) {
            return response;
        }
        authorization = authorize(response.headers().firstValue("WWW-Authenticate").orElse(""), request);
        authorizations.put(repository, authorization);
        response = exchange(request, authorization);
        if (response.statusCode() == 401) {
            authorizations.remove(repository);
        }
        return response;
    }

    private HttpResponse<Void> exchange(HttpRequest.Builder request, String authorization) {
        HttpRequest built = authorization == null ? request.timeout(timeout).build()
                : request.copy().header("Authorization", authorization).timeout(timeout).build();
        try {
            return http.send(built, HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new RegistryException(built.method() + " " + built.uri() + " failed: " + e, 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted during " + built.method() + " " + built.uri(), 0, e);
        }
    }

    /** Answers a challenge: basic credentials, or a bearer token from the realm the registry names. */
    private String authorize(String challenge, HttpRequest.Builder request) {
        String what = request.build().method() + " " + request.build().uri();
        if (challenge.regionMatches(true, 0, "Basic", 0, 5)) {
            if (credentials == null) {
                throw failure(what + " needs credentials (basic auth); none are configured", 401, null);
            }
            return credentials.basic();
        }
        if (!challenge.regionMatches(true, 0, "Bearer", 0, 6)) {
            throw failure(what + " answered 401 with an unsupported challenge '" + challenge + "'", 401, null);
        }
        Map<String, String> params = new HashMap<>();
        Matcher m = CHALLENGE_PARAM.matcher(challenge);
        while (m.find()) {
            params.put(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(2));
        }
        StringBuilder tokenUri = new StringBuilder(params.getOrDefault("realm", ""));
        char separator = tokenUri.indexOf("?") < 0 ? '?' : '&';
        for (String name : new String[]{"service", "scope"}) {
            if (params.containsKey(name)) {
                tokenUri.append(separator).append(name).append('=').append(URLEncoder.encode(params.get(name), StandardCharsets.UTF_8));
                separator = '&';
            }
        }
        HttpRequest.Builder tokenRequest = HttpRequest.newBuilder(URI.create(tokenUri.toString())).GET().timeout(timeout);
        if (credentials != null) {
            tokenRequest.header("Authorization", credentials.basic());
        }
        try {
            HttpResponse<String> response = http.send(tokenRequest.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw failure("GET " + params.get("realm") + " (token for " + what + ")", response.statusCode(), response.body());
            }
            JsonNode body = JSON.readTree(response.body());
            JsonNode token = body.hasNonNull("token") ? body.get("token") : body.get("access_token");
            if (token == null || token.asText().isEmpty()) {
                throw failure("GET " + params.get("realm") + " returned no token", 502, null);
            }
            return "Bearer " + token.asText();
        } catch (IOException e) {
            throw new RegistryException("GET " + params.get("realm") + " (token) failed: " + e, 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted while fetching a token from " + params.get("realm"), 0, e);
        }
    }

    private static RegistryException failure(String what, int status, String body) {
        String detail = body == null || body.isBlank() ? "" : ": " + (body.length() > 500 ? body.substring(0, 500) + "…" : body);
        String meaning = status == 401 || status == 403 ? " (the registry refused the credentials)" : "";
        return new RegistryException(what + " answered " + status + meaning + detail, status, null);
    }
}
