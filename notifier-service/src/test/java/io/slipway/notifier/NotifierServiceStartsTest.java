package io.slipway.notifier;

import io.slipway.common.testing.ServiceStartsContract;

/** The notifier-service starts, creates its topics, and answers on /health and /prometheus. */
class NotifierServiceStartsTest extends ServiceStartsContract {
}
