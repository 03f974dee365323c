package io.slipway.trigger.adapter.http;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.slipway.trigger.config.TriggerProperties;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The threads on which webhook and manual-run requests wait for Kafka, never a Netty event loop, and a bounded queue
 * of requests waiting for a thread. A request that finds the queue full is answered 503 with {@code Retry-After} at
 * once, so a stalled broker holds at most threads + queue requests (and their bodies), not every one that arrives;
 * forges redeliver, and nothing was recorded.
 */
@Singleton
public final class RequestPool {

    /** The name every thread of the pool starts with. */
    public static final String THREADS = "trigger-requests";
    /** What a refused request is told to wait: about as long as one request may wait for Kafka. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(30);

    private final ThreadPoolExecutor executor;

    RequestPool(TriggerProperties properties) {
        TriggerProperties.Requests requests = properties.requests();
        AtomicInteger numbers = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(requests.threads(), requests.threads(), 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(requests.queue()), work -> {
                    Thread thread = new Thread(work, THREADS + "-" + numbers.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    /** Runs {@code request} on the pool, or answers 503 with {@code Retry-After} when the pool and its queue are full. */
    public <T> CompletableFuture<HttpResponse<T>> run(Supplier<HttpResponse<T>> request, Supplier<T> busy) {
        try {
            return CompletableFuture.supplyAsync(request, executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(HttpResponse.<T>status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(RETRY_AFTER.toSeconds())).body(busy.get()));
        }
    }

    /** How many requests wait for a thread. */
    public int waiting() {
        return executor.getQueue().size();
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
