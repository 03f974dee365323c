package io.slipway.trigger.adapter.forge;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.trigger.domain.Push;
import io.slipway.trigger.domain.RequestEvent;

import java.util.Optional;
import java.util.function.Function;

/**
 * One forge's webhook dialect: which header names the event and the delivery, how requests are authenticated,
 * and how a push payload maps to a {@link Push} and a pull or merge request event to a {@link RequestEvent}. Headers
 * are looked up case-insensitively by the caller.
 */
public interface Forge {

    /** How a request proved it comes from the forge. */
    enum Authentication { VALID, MISSING, INVALID }

    /** What a delivery is about: a push, a pull or merge request event, a ping, or anything else. */
    enum EventKind { PUSH, REQUEST, PING, OTHER }

    /** The path segment and {@code source} of the events it produces: github, gitlab, gitea, generic. */
    String name();

    EventKind kind(Function<String, String> headers);

    /** The event name as the forge sent it, for messages about events Slipway does not handle. */
    String eventName(Function<String, String> headers);

    Optional<String> deliveryId(Function<String, String> headers);

    /** The repository full name in the payload, needed to find its secret before the payload is trusted. */
    String repository(JsonNode body);

    Authentication authenticate(Function<String, String> headers, byte[] rawBody, String secret);

    Push push(JsonNode body, String deliveryId);

    /**
     * The pull or merge request event of a delivery whose kind is {@link EventKind#REQUEST}.
     *
     * @throws io.slipway.trigger.domain.InvalidPayload when the payload lacks what a request event needs
     */
    default RequestEvent request(JsonNode body, String deliveryId) {
        throw new UnsupportedOperationException(name() + " sends no request events");
    }
}
