package io.slipway.deliverer;

import io.slipway.common.testing.ServiceStartsContract;

/** The deliverer-service starts, creates its topics, and answers on /health and /prometheus. */
class DelivererServiceStartsTest extends ServiceStartsContract {
}
