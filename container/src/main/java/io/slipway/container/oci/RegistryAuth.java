package io.slipway.container.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers a registry's {@code WWW-Authenticate} challenges the way Docker clients do: {@code Basic} with the
 * configured credentials, or {@code Bearer realm=…,service=…,scope=…} by fetching a token from the realm (with the
 * credentials, if any) for the challenged scope plus the scope the request needs, cached until it expires. Only the
 * configured registry's own challenge names a realm (the client answers no other host), and, as Docker does, the
 * registry may delegate to a token service on another host; the credentials still never travel in clear text when the
 * registry speaks https, nor to a realm that is not an http(s) URL. Expired tokens are dropped and at most
 * {@value #MAX_TOKENS} are held (one per scope, i.e. per repository), so the cache stays small however many
 * repositories pass through.
 */
final class RegistryAuth {

    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(60);
    static final int MAX_TOKENS = 256;
    private static final ObjectMapper JSON = new ObjectMapper();

    record Token(String value, Instant expires) {
    }

    private final RegistryEndpoint endpoint;
    private final HttpClient http;
    private final Duration timeout;
    private final Clock clock;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private volatile boolean basic;

    RegistryAuth(RegistryEndpoint endpoint, HttpClient http, Duration timeout, Clock clock) {
        this.endpoint = endpoint;
        this.http = http;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** The {@code Authorization} value for a request needing {@code scope}, when one is known. */
    Optional<String> header(String scope) {
        if (basic) {
            return Optional.of(basicValue());
        }
        Token token = tokens.get(scope);
        return token != null && token.expires().isAfter(clock.instant())
                ? Optional.of("Bearer " + token.value()) : Optional.empty();
    }

    /**
     * Answers a 401; true when the request is worth sending again with {@link #header}. False when the challenge is
     * Basic and the credentials were already sent (or there are none), or the scheme is unknown.
     *
     * @throws OciRegistryException UNAUTHORIZED when the token service refuses the credentials
     */
    boolean answer(HttpResponse<?> challenged, String scope, boolean sentCredentials) {
        String challenge = challenged.headers().firstValue("WWW-Authenticate").orElse("");
        if (challenge.regionMatches(true, 0, "Basic", 0, 5)) {
            if (sentCredentials || !endpoint.hasCredentials()) {
                return false;
            }
            basic = true;
            return true;
        }
        if (!challenge.regionMatches(true, 0, "Bearer", 0, 6)) {
            return false;
        }
        Map<String, String> params = new LinkedHashMap<>();
        Matcher m = PARAM.matcher(challenge);
        while (m.find()) {
            params.put(m.group(1).toLowerCase(), m.group(2));
        }
        if (!params.containsKey("realm")) {
            return false;
        }
        Set<String> scopes = new LinkedHashSet<>(List.of(params.getOrDefault("scope", "").split(" ")));
        scopes.addAll(List.of(scope.split(" ")));
        scopes.remove("");
        remember(scope, fetchToken(params.get("realm"), params.get("service"), scopes));
        return true;
    }

    /** Holds a token, dropping the expired ones and, when full, the one that expires first. */
    void remember(String scope, Token token) {
        synchronized (tokens) {
            Instant now = clock.instant();
            tokens.values().removeIf(held -> !held.expires().isAfter(now));
            while (tokens.size() >= MAX_TOKENS && !tokens.containsKey(scope)) {
                tokens.entrySet().stream().min(Map.Entry.comparingByValue(
                        Comparator.comparing(Token::expires))).ifPresent(first -> tokens.remove(first.getKey()));
            }
            tokens.put(scope, token);
        }
    }

    int tokenCount() {
        return tokens.size();
    }

    /**
     * Whether the token service a registry named may receive its credentials: an absolute http(s) URL without user
     * info, and https when the registry itself speaks https.
     */
    static boolean mayReceiveCredentials(URI realm, RegistryEndpoint endpoint) {
        String scheme = realm.getScheme() == null ? "" : realm.getScheme().toLowerCase(Locale.ROOT);
        return realm.getHost() != null && realm.getRawUserInfo() == null
                && (scheme.equals("https") || scheme.equals("http") && endpoint.plainHttp());
    }

    private Token fetchToken(String realm, String service, Set<String> scopes) {
        StringBuilder query = new StringBuilder();
        if (service != null) {
            query.append("service=").append(URLEncoder.encode(service, StandardCharsets.UTF_8));
        }
        for (String scope : scopes) {
            query.append(query.isEmpty() ? "" : "&").append("scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
        }
        URI uri;
        try {
            uri = URI.create(realm + (realm.contains("?") ? "&" : "?") + query);
        } catch (IllegalArgumentException e) {
            throw new OciRegistryException(OciRegistryException.Kind.REJECTED, "GET", 0, List.of(),
                    "the registry " + endpoint.host() + " named a token service that is not a URL: " + realm);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        if (endpoint.hasCredentials()) {
            if (!mayReceiveCredentials(uri, endpoint)) {
                throw new OciRegistryException(OciRegistryException.Kind.UNAUTHORIZED, "GET", 0, List.of(),
                        "the registry " + endpoint.host() + " named the token service " + uri.getScheme() + "://"
                                + uri.getRawAuthority() + ", which may not receive its credentials (not https)");
            }
            request.header("Authorization", basicValue());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new RegistryUnavailableException("token service GET " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("interrupted while fetching a token from " + uri, e);
        }
        int status = response.statusCode();
        if (status >= 500 || status == 429 || status == 408) {
            throw new RegistryUnavailableException("token service GET " + uri + " answered " + status, null);
        }
        if (status != 200) {
            throw new OciRegistryException(status == 401 || status == 403 ? OciRegistryException.Kind.UNAUTHORIZED
                    : OciRegistryException.Kind.REJECTED, "GET", status, List.of(),
                    "token service GET " + uri + " answered " + status + " for " + endpoint);
        }
        try {
            JsonNode body = JSON.readTree(response.body());
            String token = body.hasNonNull("token") ? body.get("token").asText() : body.path("access_token").asText("");
            long seconds = body.path("expires_in").asLong(DEFAULT_TOKEN_LIFETIME.toSeconds());
            // Renew a little early, so a token does not expire between this check and the registry's.
            return new Token(token, clock.instant().plusSeconds(Math.max(1, seconds - 5)));
        } catch (IOException e) {
            throw new OciRegistryException(OciRegistryException.Kind.REJECTED, "GET", status, List.of(),
                    "token service GET " + uri + " answered something that is not JSON");
        }
    }

    private String basicValue() {
        String pair = endpoint.username() + ":" + endpoint.password();
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
}
