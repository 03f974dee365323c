package io.slipway.deliverer;

import io.micronaut.runtime.Micronaut;

/** The deliverer-service: Promotes the tested digest to the release repository and emits ArtifactPublished. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
