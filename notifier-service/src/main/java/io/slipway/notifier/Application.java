package io.slipway.notifier;

import io.micronaut.runtime.Micronaut;

/**
 * The notifier-service: tells people what happened to a run (Slack, one issue per broken branch, commit status), once
 * per event and channel, without losing a notification.
 */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
