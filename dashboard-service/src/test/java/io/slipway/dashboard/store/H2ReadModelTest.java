package io.slipway.dashboard.store;

import java.util.List;
import java.util.UUID;

/** The read model on the embedded database, in the mode the service runs it. */
class H2ReadModelTest extends ReadModelContract {

    @Override
    List<String> database() {
        return List.of("jdbc:h2:mem:" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "slipway", "");
    }
}
