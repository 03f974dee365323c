package io.slipway.trigger.adapter.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.slipway.trigger.adapter.forge.Forge;
import io.slipway.trigger.adapter.forge.GenericForge;
import io.slipway.trigger.adapter.forge.GitHubForge;
import io.slipway.trigger.adapter.forge.GitLabForge;
import io.slipway.trigger.adapter.forge.GiteaForge;
import io.slipway.trigger.domain.InvalidPayload;
import io.slipway.trigger.domain.Push;
import io.slipway.trigger.domain.RequestEvent;
import io.slipway.trigger.domain.RequestService;
import io.slipway.trigger.domain.TriggerService;
import io.slipway.trigger.domain.WatchedRepositories;
import io.slipway.trigger.domain.WatchedRepository;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.slipway.trigger.adapter.http.Answers.reject;

/**
 * Webhook endpoints for GitHub, GitLab, Gitea/Forgejo and Slipway's generic form. A request starts a run only
 * when its repository is watched and its signature or token checks out: unknown repositories get 404, unsigned
 * requests 401, wrongly signed ones 403, and none of them reaches Kafka. Bodies over 1 MiB are refused with 413
 * by the server ({@code micronaut.server.max-request-size}). Requests are checked (signature, JSON) and sent to
 * Kafka on the {@link RequestPool}, never on a Netty event loop; an accepted push is answered when Kafka acknowledged
 * its intake record, with no thread waiting meanwhile, and 503 when it did not in time or the pool is at its bounds.
 * Pull and merge request events are authenticated the same way and handed to the {@link RequestService}.
 */
@Controller("/webhooks")
public class WebhookController {

    private final Map<String, Forge> forges;
    private final WatchedRepositories repositories;
    private final TriggerService trigger;
    private final RequestService requests;
    private final ObjectMapper json = new ObjectMapper();
    private final MeterRegistry meters;
    /** Per forge; looked up once, since registering or finding a meter by name and tags costs every request. */
    private final Map<String, Counter> received;
    /** Per forge, answer status and code: a handful of answers, each found in the registry once. */
    private final Map<List<String>, Counter> answered = new ConcurrentHashMap<>();
    private final RequestPool pool;

    WebhookController(WatchedRepositories repositories, TriggerService trigger, RequestService requests,
                      MeterRegistry meters, RequestPool pool) {
        this.forges = Stream.<Forge>of(new GitHubForge(), new GitLabForge(), new GiteaForge(), new GenericForge())
                .collect(Collectors.toUnmodifiableMap(Forge::name, f -> f));
        this.repositories = repositories;
        this.trigger = trigger;
        this.requests = requests;
        this.meters = meters;
        this.received = forges.keySet().stream().collect(Collectors.toUnmodifiableMap(name -> name,
                name -> meters.counter("slipway.trigger.webhooks.received", "forge", name)));
        this.pool = pool;
    }

    @Post(uri = "/{forgeName}", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    CompletableFuture<HttpResponse<Answer>> receive(@PathVariable String forgeName, HttpRequest<?> request,
                                                    @Nullable @Body byte[] body) {
        Forge forge = forges.get(forgeName);
        if (forge == null) {
            return reject(HttpStatus.NOT_FOUND, "no webhook endpoint for '" + forgeName + "'; use one of "
                    + forges.keySet());
        }
        received.get(forge.name()).increment();
        return pool.run(() -> handle(forge, request, body == null ? new byte[0] : body), () -> Answer.rejected(
                        "too many webhooks are waiting to be recorded, please redeliver later"))
                .thenApply(response -> {
                    answered(forge.name(), response.body() == null ? "none" : response.body().status(),
                            response.code()).increment();
                    return response;
                });
    }

    private Counter answered(String forge, String status, int code) {
        return answered.computeIfAbsent(List.of(forge, status, Integer.toString(code)), key -> meters.counter(
                "slipway.trigger.webhooks.answered", "forge", key.get(0), "status", key.get(1), "code", key.get(2)));
    }

    private CompletableFuture<HttpResponse<Answer>> handle(Forge forge, HttpRequest<?> request, byte[] raw) {
        Function<String, String> headers = name -> request.getHeaders().get(name);
        Optional<MediaType> type = request.getContentType();
        if (type.isEmpty()) {
            return reject(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type is missing; send application/json");
        }
        JsonNode payload;
        try {
            payload = parse(forge, type.get(), raw);
        } catch (UnsupportedOperationException e) {
            return reject(HttpStatus.UNSUPPORTED_MEDIA_TYPE, e.getMessage());
        } catch (InvalidPayload e) {
            return reject(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        Forge.EventKind kind = forge.kind(headers);
        String repositoryName;
        try {
            repositoryName = forge.repository(payload);
        } catch (InvalidPayload e) {
            if (kind == Forge.EventKind.PING) {
                return answer(new Answer("pong", null, "ping received"));
            }
            return reject(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        Optional<WatchedRepository> watched = repositories.find(repositoryName);
        if (watched.isEmpty()) {
            return reject(HttpStatus.NOT_FOUND, "repository '" + repositoryName + "' is not watched by this Slipway");
        }
        switch (forge.authenticate(headers, raw, watched.get().secret())) {
            case MISSING:
                return reject(HttpStatus.UNAUTHORIZED, "the request is not signed; configure the webhook secret");
            case INVALID:
                return reject(HttpStatus.FORBIDDEN, "the signature does not match the configured secret");
            default:
                break;
        }
        if (kind == Forge.EventKind.PING) {
            return answer(new Answer("pong", null, "ping received for " + repositoryName));
        }
        if (kind == Forge.EventKind.REQUEST) {
            return request(forge, headers, payload, repositoryName, watched.get());
        }
        if (kind != Forge.EventKind.PUSH) {
            return answer(new Answer("ignored", null,
                    "event '" + forge.eventName(headers) + "' does not start runs"));
        }
        Push push;
        try {
            push = forge.push(payload, forge.deliveryId(headers).orElse(null));
        } catch (InvalidPayload e) {
            return reject(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        return Answers.of(() -> trigger.submit(push, watched.get()), "could not record the push, please redeliver");
    }

    /**
     * A pull or merge request event, authenticated as a push of its (target) repository is; the event must name the
     * repository it was authenticated for.
     */
    private CompletableFuture<HttpResponse<Answer>> request(Forge forge, Function<String, String> headers,
                                                            JsonNode payload, String repositoryName,
                                                            WatchedRepository watched) {
        RequestEvent event;
        try {
            event = forge.request(payload, forge.deliveryId(headers).orElse(null));
        } catch (InvalidPayload e) {
            return reject(HttpStatus.BAD_REQUEST, e.getMessage());
        } catch (UnsupportedOperationException e) {
            return answer(new Answer("ignored", null, e.getMessage()));
        }
        if (!event.repository().equals(repositoryName)) {
            return reject(HttpStatus.BAD_REQUEST, "the request event names repository '" + event.repository()
                    + "', not '" + repositoryName + "' whose secret signed it");
        }
        return Answers.of(() -> requests.receive(event, watched),
                "could not record the request event, please redeliver");
    }

    private JsonNode parse(Forge forge, MediaType type, byte[] raw) {
        String subtype = type.getSubtype();
        byte[] jsonBytes;
        if (subtype.equals("json") || subtype.endsWith("+json")) {
            jsonBytes = raw;
        } else if (forge.name().equals("github") && type.getName().equals(MediaType.APPLICATION_FORM_URLENCODED)) {
            jsonBytes = formPayload(raw);
        } else {
            throw new UnsupportedOperationException("Content-Type " + type + " is not supported; send application/json");
        }
        try {
            JsonNode node = json.readTree(jsonBytes);
            if (node == null || !node.isObject()) {
                throw new InvalidPayload("body must be a JSON object");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidPayload("body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidPayload("body could not be read: " + e.getMessage());
        }
    }

    /** GitHub's form-encoded deliveries carry the JSON in the {@code payload} field. */
    private static byte[] formPayload(byte[] raw) {
        for (String pair : new String(raw, StandardCharsets.US_ASCII).split("&")) {
            if (pair.startsWith("payload=")) {
                return URLDecoder.decode(pair.substring("payload=".length()), StandardCharsets.UTF_8)
                        .getBytes(StandardCharsets.UTF_8);
            }
        }
        throw new InvalidPayload("missing form field 'payload'");
    }

    private static CompletableFuture<HttpResponse<Answer>> answer(Answer answer) {
        return CompletableFuture.completedFuture(HttpResponse.ok(answer));
    }
}
