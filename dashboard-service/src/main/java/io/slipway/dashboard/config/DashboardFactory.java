package io.slipway.dashboard.config;

import io.micronaut.context.annotation.Factory;
import io.slipway.dashboard.domain.LiveChanges;
import jakarta.inject.Singleton;

/** Wires the dashboard's plain domain classes. */
@Factory
public class DashboardFactory {

    /** The one broadcaster of committed changes: the projection publishes, the live pages subscribe. */
    @Singleton
    LiveChanges liveChanges() {
        return new LiveChanges();
    }
}
