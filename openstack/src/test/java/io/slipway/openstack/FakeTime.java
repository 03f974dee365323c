package io.slipway.openstack;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that moves only when code under test sleeps: deadlines of minutes pass in microseconds. Like
 * {@link Thread#sleep}, sleeping in an interrupted thread throws.
 */
final class FakeTime extends Clock implements Poller.Sleeper {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        now.updateAndGet(instant -> instant.plus(duration));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
