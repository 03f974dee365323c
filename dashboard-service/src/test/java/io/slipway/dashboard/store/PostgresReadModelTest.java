package io.slipway.dashboard.store;

import io.slipway.devstack.PostgresServer;
import org.junit.jupiter.api.AfterAll;

import java.util.List;

/** The read model on a real PostgreSQL, a throwaway cluster of its own. */
class PostgresReadModelTest extends ReadModelContract {

    private PostgresServer server;

    @Override
    List<String> database() {
        server = PostgresServer.start();
        return List.of(server.jdbcUrl(), server.user(), server.password());
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }
}
