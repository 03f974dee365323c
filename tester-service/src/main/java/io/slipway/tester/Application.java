package io.slipway.tester;

import io.micronaut.runtime.Micronaut;

/** The tester-service: Runs the application's and the providers' test suites against the staged image and emits TestsPassed. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
