package io.slipway.builder;

import io.slipway.common.testing.ServiceStartsContract;

/** The builder-service starts, creates its topics, and answers on /health and /prometheus. */
class BuilderServiceStartsTest extends ServiceStartsContract {
}
