package io.slipway.dashboard;

import io.micronaut.runtime.Micronaut;

/** The dashboard-service: a read model of every Slipway topic in a database, and the web pages that show it. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
