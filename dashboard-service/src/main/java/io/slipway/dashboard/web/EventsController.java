package io.slipway.dashboard.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.sse.Event;
import io.slipway.dashboard.domain.LiveChanges;
import io.slipway.dashboard.domain.RunChange;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.Locale;

/**
 * {@code GET /events}: the live pages' Server-Sent Events. Each committed {@link RunChange} is an event named
 * {@code run}, {@code log} or {@code environment} with a small JSON object (kind, runId, attempt, repository,
 * environment); a {@code ping} every 15 seconds keeps proxies from closing the stream. A client that goes away is
 * unsubscribed; a client too slow to read loses its oldest pending events, never blocking the projection. Beyond
 * {@value #MAX_STREAMS} open streams a new one is refused with 503, so a client that connects again and again cannot
 * exhaust the service.
 */
@Controller("/events")
public class EventsController {

    /** How often an idle stream gets a {@code ping}. */
    static final Duration HEARTBEAT = Duration.ofSeconds(15);
    /** The most event streams open at once. */
    static final int MAX_STREAMS = 1000;
    private static final int PENDING_PER_CLIENT = 256;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LiveChanges changes;

    EventsController(LiveChanges changes) {
        this.changes = changes;
    }

    @Get(produces = MediaType.TEXT_EVENT_STREAM)
    HttpResponse<?> events() {
        if (changes.subscribers() >= MAX_STREAMS) {
            return HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(MediaType.TEXT_PLAIN_TYPE)
                    .header(HttpHeaders.RETRY_AFTER, "30")
                    .body(MAX_STREAMS + " live pages are open already; try again later");
        }
        Flux<Event<String>> live = Flux.<Event<String>>create(sink -> {
            AutoCloseable subscription = changes.subscribe(change -> sink.next(event(change)));
            sink.onDispose(() -> {
                try {
                    subscription.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }).onBackpressureBuffer(PENDING_PER_CLIENT, dropped -> { }, BufferOverflowStrategy.DROP_OLDEST);
        Flux<Event<String>> pings = Flux.interval(HEARTBEAT).map(tick -> Event.of("{}").name("ping"));
        return HttpResponse.ok(Flux.merge(Flux.just(Event.of("{}").name("ping")), live, pings))
                .contentType(MediaType.TEXT_EVENT_STREAM_TYPE);
    }

    static Event<String> event(RunChange change) {
        ObjectNode data = JSON.createObjectNode().put("kind", change.kind().name()).put("runId", change.runId())
                .put("attempt", change.attempt()).put("repository", change.repository())
                .put("environment", change.environment());
        return Event.of(data.toString()).name(change.kind().name().toLowerCase(Locale.ROOT));
    }
}
