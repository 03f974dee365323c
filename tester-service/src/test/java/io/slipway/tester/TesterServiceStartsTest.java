package io.slipway.tester;

import io.slipway.common.testing.ServiceStartsContract;

/** The tester-service starts, creates its topics, and answers on /health and /prometheus. */
class TesterServiceStartsTest extends ServiceStartsContract {
}
