package io.slipway.builder;

import io.micronaut.runtime.Micronaut;

/** The builder-service: Builds the commit's image on a Docker engine, stages it in a registry and emits ImageBuilt. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
