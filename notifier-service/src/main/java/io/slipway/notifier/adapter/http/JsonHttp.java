package io.slipway.notifier.adapter.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slipway.common.text.SecretMask;
import io.slipway.notifier.domain.ChannelUnavailable;
import io.slipway.notifier.domain.LogExcerpt;
import io.slipway.notifier.domain.NotificationRejected;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * The one way the notifier talks HTTP: sends a JSON body and sorts the answer. 2xx is success; 429, 408, 5xx, a
 * rate-limited 403, timeouts and connection failures are {@link ChannelUnavailable} (with the server's
 * {@code Retry-After}, or GitHub's {@code x-ratelimit-reset}); any other status is {@link NotificationRejected}
 * carrying the response. Messages name the channel and path, never a webhook URL or token, and responses are masked.
 */
public final class JsonHttp {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_RESPONSE_CHARS = 2000;

    private final HttpClient client;
    private final Duration timeout;
    private final Clock clock;
    private final SecretMask secrets;

    public JsonHttp(HttpClient client, Duration timeout, Clock clock, Collection<String> secrets) {
        this.client = client;
        this.timeout = timeout;
        this.clock = clock;
        this.secrets = new SecretMask(secrets);
    }

    /** A JSON object from alternating names and values (strings, numbers, booleans, lists of strings); nulls are left out. */
    public static ObjectNode object(Object... namesAndValues) {
        ObjectNode node = JSON.createObjectNode();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            Object value = namesAndValues[i + 1];
            if (value != null) {
                node.set((String) namesAndValues[i], JSON.valueToTree(value));
            }
        }
        return node;
    }

    /** An API at a base URL with the headers every request carries (authentication, media type). */
    public Api api(URI base, Map<String, String> headers, String label) {
        return new Api(base.toString().replaceAll("/+$", ""), Map.copyOf(headers), label);
    }

    /** Requests to one API; {@code label} names it in messages. */
    public final class Api {
        private final String base;
        private final Map<String, String> headers;
        private final String label;

        private Api(String base, Map<String, String> headers, String label) {
            this.base = base;
            this.headers = headers;
            this.label = label;
        }

        /** Names the API in messages, e.g. {@code github:github}. */
        public String label() {
            return label;
        }

        /**
         * Sends {@code body} (none when null, as for a GET) to {@code base + path} and returns the parsed JSON answer
         * (an empty object for a non-JSON body).
         */
        public JsonNode call(String method, String path, JsonNode body) {
            return send(method, URI.create(base + path), headers, body, label + " " + method + " " + path);
        }
    }

    /**
     * Sends one request, with a JSON body unless {@code body} is null; {@code target} names it in messages and must
     * not contain secrets.
     */
    public JsonNode send(String method, URI uri, Map<String, String> headers, JsonNode body, String target) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(write(body)));
        }
        headers.forEach(request::header);
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ChannelUnavailable(target + " failed: " + e, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChannelUnavailable(target + " was interrupted", null, e);
        }
        int status = response.statusCode();
        String answer = bounded(response.body());
        if (status / 100 == 2) {
            return parse(response.body());
        }
        Optional<Duration> retryAfter = retryAfter(response);
        boolean rateLimited = status == 403 && (retryAfter.isPresent()
                || response.headers().firstValue("x-ratelimit-remaining").filter("0"::equals).isPresent());
        if (status == 429 || status == 408 || status >= 500 || rateLimited) {
            throw new ChannelUnavailable(target + " answered HTTP " + status + " " + answer, retryAfter.orElse(null), null);
        }
        throw new NotificationRejected(target, status, answer);
    }

    /** {@code Retry-After} as seconds or an HTTP date, else GitHub's {@code x-ratelimit-reset} when none remain. */
    Optional<Duration> retryAfter(HttpResponse<?> response) {
        Optional<String> header = response.headers().firstValue("retry-after").map(String::strip);
        if (header.isPresent()) {
            try {
                return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(header.get()))));
            } catch (NumberFormatException notSeconds) {
                try {
                    return Optional.of(until(ZonedDateTime.parse(header.get(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()));
                } catch (DateTimeParseException notADate) {
                    return Optional.empty();
                }
            }
        }
        if (response.headers().firstValue("x-ratelimit-remaining").filter("0"::equals).isEmpty()) {
            return Optional.empty();
        }
        return response.headers().firstValue("x-ratelimit-reset").flatMap(reset -> {
            try {
                return Optional.of(until(Instant.ofEpochSecond(Long.parseLong(reset.strip()))));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    private Duration until(Instant instant) {
        Duration wait = Duration.between(clock.instant(), instant);
        return wait.isNegative() ? Duration.ZERO : wait;
    }

    private String bounded(String body) {
        String masked = LogExcerpt.mask(body == null ? "" : body.strip(), secrets);
        return masked.length() <= MAX_RESPONSE_CHARS ? masked : masked.substring(0, MAX_RESPONSE_CHARS) + "…";
    }

    private static String write(JsonNode body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write JSON body", e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode();
        }
    }
}
