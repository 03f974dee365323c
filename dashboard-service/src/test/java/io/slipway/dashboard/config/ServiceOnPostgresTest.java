package io.slipway.dashboard.config;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.slipway.common.testing.SlipwayTestProperties;
import io.slipway.dashboard.domain.RunFilter;
import io.slipway.dashboard.domain.RunHistory;
import io.slipway.devstack.PostgresServer;
import io.slipway.devstack.testing.SharedDevStack;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The service as a team runs it: its database settings point at PostgreSQL, which Flyway migrates at start. */
class ServiceOnPostgresTest {

    @Test
    void startsOnPostgresAndMigratesIt() {
        try (PostgresServer postgres = PostgresServer.start()) {
            Map<String, Object> config = new HashMap<>(SlipwayTestProperties.against(SharedDevStack.get()));
            config.put("datasources.default.url", postgres.jdbcUrl());
            config.put("datasources.default.username", postgres.user());
            config.put("datasources.default.password", postgres.password());
            try (ApplicationContext service = ApplicationContext.run(EmbeddedServer.class, config)
                    .getApplicationContext()) {
                RunHistory history = service.getBean(RunHistory.class);
                assertThat(history.runs(RunFilter.none(), null, 10).runs()).isNotNull();
                assertThat(history.environments()).isNotNull();
            }
        }
    }

    @Test
    void readsSizesWithBinaryUnits() {
        assertThat(StoreFactory.bytes("x", "4MiB")).isEqualTo(4L * 1024 * 1024);
        assertThat(StoreFactory.bytes("x", "512KiB")).isEqualTo(512L * 1024);
        assertThat(StoreFactory.bytes("x", "1000")).isEqualTo(1000);
    }
}
