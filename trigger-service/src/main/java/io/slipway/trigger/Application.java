package io.slipway.trigger;

import io.micronaut.runtime.Micronaut;

/** The trigger-service: Turns forge webhooks and post-receive hooks into CommitReceived events. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
