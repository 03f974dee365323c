package io.slipway.trigger.adapter.forge;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the forges share: the event and the delivery are named by headers (the first present one of several
 * spellings wins), and the event name maps to what Slipway does with it. Subclasses read payloads and
 * authenticate.
 */
abstract class HeaderForge implements Forge {

    protected final Clock clock;
    private final String name;
    private final List<String> eventHeaders;
    private final String defaultEvent;
    private final List<String> deliveryHeaders;
    private final Map<String, EventKind> kinds;

    HeaderForge(String name, Clock clock, List<String> eventHeaders, String defaultEvent,
                List<String> deliveryHeaders, Map<String, EventKind> kinds) {
        this.name = name;
        this.clock = clock;
        this.eventHeaders = eventHeaders;
        this.defaultEvent = defaultEvent;
        this.deliveryHeaders = deliveryHeaders;
        this.kinds = kinds;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final EventKind kind(Function<String, String> headers) {
        return kinds.getOrDefault(eventName(headers), EventKind.OTHER);
    }

    @Override
    public final String eventName(Function<String, String> headers) {
        return ForgeSupport.firstHeader(headers, eventHeaders.toArray(String[]::new)).orElse(defaultEvent);
    }

    @Override
    public final Optional<String> deliveryId(Function<String, String> headers) {
        return ForgeSupport.firstHeader(headers, deliveryHeaders.toArray(String[]::new));
    }
}
