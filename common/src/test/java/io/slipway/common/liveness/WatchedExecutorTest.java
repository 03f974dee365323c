package io.slipway.common.liveness;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class WatchedExecutorTest {

    private record Ended(Thread thread, Throwable cause) {
    }

    private final BlockingQueue<Ended> ends = new LinkedBlockingQueue<>();
    private final WatchedExecutor executor = new WatchedExecutor(2, Executors.defaultThreadFactory(),
            (thread, cause) -> ends.add(new Ended(thread, cause)));

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void saysOnWhichThreadASubmittedTaskDiedOfAnError() throws Exception {
        AtomicReference<Thread> ran = new AtomicReference<>();
        OutOfMemoryError error = new OutOfMemoryError("Java heap space");
        executor.submit(() -> {
            ran.set(Thread.currentThread());
            throw error;
        });

        Ended ended = ends.poll(10, TimeUnit.SECONDS);
        assertThat(ended).isNotNull();
        assertThat(ended.thread()).isSameAs(ran.get());
        assertThat(ended.cause()).isSameAs(error);
    }

    @Test
    void saysATaskThatReturnedEndedWithoutCause() throws Exception {
        executor.submit(() -> { });

        Ended ended = ends.poll(10, TimeUnit.SECONDS);
        assertThat(ended).isNotNull();
        assertThat(ended.cause()).isNull();
    }

    @Test
    void saysNothingOfAPeriodicTaskBetweenItsRuns() throws Exception {
        BlockingQueue<Integer> runs = new LinkedBlockingQueue<>();
        executor.scheduleWithFixedDelay(() -> runs.add(1), 0, 10, TimeUnit.MILLISECONDS);

        for (int i = 0; i < 3; i++) {
            assertThat(runs.poll(10, TimeUnit.SECONDS)).isNotNull();
        }
        assertThat(ends).isEmpty();
    }
}
