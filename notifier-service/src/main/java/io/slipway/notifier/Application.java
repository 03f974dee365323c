package io.slipway.notifier;

import io.micronaut.runtime.Micronaut;

/** The notifier-service: Tells people about outcomes: Slack, issue tracker and commit status. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
