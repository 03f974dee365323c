package io.slipway.trigger;

import io.micronaut.runtime.Micronaut;

import java.util.Map;

/**
 * The trigger-service: Turns forge webhooks and post-receive hooks into CommitReceived events. Its port is the one
 * meant to face forges, so {@code SLIPWAY_TRIGGER_BIND}, when set, is where it alone listens; otherwise it listens
 * where every service does ({@code SLIPWAY_BIND}, else 127.0.0.1).
 */
public final class Application {

    /** The variable naming the trigger's own listening address. */
    public static final String TRIGGER_BIND = "SLIPWAY_TRIGGER_BIND";

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(Application.class).properties(bindAddress(System.getenv())).start();
    }

    /** The listening address {@code environment} asks of the trigger alone; empty when it leaves the shared rule. */
    static Map<String, Object> bindAddress(Map<String, String> environment) {
        String bind = environment.get(TRIGGER_BIND);
        return bind == null || bind.isBlank() ? Map.of() : Map.of("micronaut.server.host", bind.trim());
    }
}
