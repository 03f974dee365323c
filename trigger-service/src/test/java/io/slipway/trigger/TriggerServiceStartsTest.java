package io.slipway.trigger;

import io.slipway.common.testing.ServiceStartsContract;

/** The trigger-service starts, creates its topics, and answers on /health and /prometheus. */
class TriggerServiceStartsTest extends ServiceStartsContract {
}
