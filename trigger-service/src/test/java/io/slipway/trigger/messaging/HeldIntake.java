package io.slipway.trigger.messaging;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.slipway.trigger.domain.Push;
import io.slipway.trigger.domain.RunEmitter;
import io.slipway.trigger.domain.RunIntake;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for Kafka when {@code test.held-intake} is set: a push of a repository named {@code …/held-…} is not
 * acknowledged, as by an unresponsive broker, until the test releases it; every push remembers the thread it was
 * sent on.
 */
@Singleton
@Replaces(KafkaRunIntake.class)
@Requires(property = "test.held-intake", value = "true")
public class HeldIntake implements RunIntake, RunEmitter {

    private final CompletableFuture<Void> release = new CompletableFuture<>();
    private final CountDownLatch holding = new CountDownLatch(1);
    private final Map<String, Thread> threads = new ConcurrentHashMap<>();

    @Override
    public CompletableFuture<Void> submit(Push push, String runId, boolean manual) {
        threads.put(push.repository(), Thread.currentThread());
        if (push.repository().contains("/held-")) {
            holding.countDown();
            return release.copy();
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void emit(Push push, String runId, int attempt, Instant triggeredAt, long sequence) {
    }

    /** Waits until a held push is waiting in {@link #submit}. */
    boolean awaitHolding() throws InterruptedException {
        return holding.await(30, TimeUnit.SECONDS);
    }

    void release() {
        release.complete(null);
    }

    Thread threadOf(String repository) {
        return threads.get(repository);
    }
}
