package io.slipway.openstack;

import java.time.Duration;

/** The outcome of one {@link VmCheck}: {@code detail} says what differed (with bounded output), or "passed". */
public record VmCheckResult(String name, boolean passed, String detail, Duration duration) {
}
