package io.slipway.deployer;

import io.micronaut.runtime.Micronaut;

/** The deployer-service: deploys published artifacts to the operators' environments and emits Deployed. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
