package io.slipway.trigger.adapter.http;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.slipway.trigger.config.TriggerProperties;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Where webhook and manual-run requests are handled, never on a Netty event loop: a request's checks (signature,
 * JSON, filters, the ledger) and its send to Kafka run on the pool's threads, and no thread waits for the broker's
 * acknowledgement. The answer is completed on a pool thread again, not on the Kafka producer's network thread that
 * reports the acknowledgement (the server writes the response on the thread that completes it, and that one thread
 * sends every record of the service). Two bounds keep a stalled broker from piling requests up: the requests waiting
 * for a thread ({@code queue}) and the requests taken and not yet answered ({@code in-flight}); a request beyond
 * either is answered 503 with {@code Retry-After} at once. Forges redeliver, and nothing was recorded.
 */
@Singleton
public final class RequestPool {

    /** The name every thread of the pool starts with. */
    public static final String THREADS = "trigger-requests";
    /** What a refused request is told to wait: about as long as one request may wait for Kafka. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(30);

    private final ThreadPoolExecutor executor;
    private final int queue;
    private final Semaphore inFlight;
    private final int maxInFlight;

    RequestPool(TriggerProperties properties) {
        TriggerProperties.Requests requests = properties.requests();
        AtomicInteger numbers = new AtomicInteger();
        // Unbounded, since completing an answer must never be refused: new requests are held to queue and in-flight.
        this.executor = new ThreadPoolExecutor(requests.threads(), requests.threads(), 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), work -> new PoolThread(work, THREADS + "-" + numbers.incrementAndGet()));
        this.queue = requests.queue();
        this.maxInFlight = requests.inFlight();
        this.inFlight = new Semaphore(maxInFlight);
    }

    /**
     * Runs {@code request} on the pool; its answer is the one the future it returns completes with. Answers 503 with
     * {@code Retry-After} instead when the in-flight requests or the queue are at their bound.
     */
    public <T> CompletableFuture<HttpResponse<T>> run(Supplier<CompletableFuture<HttpResponse<T>>> request,
                                                      Supplier<T> busy) {
        if (!inFlight.tryAcquire()) {
            return busy(busy);
        }
        if (executor.getQueue().size() >= queue) {
            inFlight.release();
            return busy(busy);
        }
        CompletableFuture<HttpResponse<T>> answer;
        try {
            answer = CompletableFuture.supplyAsync(request, executor).thenCompose(response -> response);
        } catch (RejectedExecutionException e) {
            inFlight.release();
            return busy(busy);
        }
        CompletableFuture<HttpResponse<T>> answered = new CompletableFuture<>();
        answer.whenComplete((response, failure) -> {
            Runnable complete = () -> {
                inFlight.release();
                if (failure == null) {
                    answered.complete(response);
                } else {
                    answered.completeExceptionally(failure);
                }
            };
            if (Thread.currentThread() instanceof PoolThread) {
                complete.run();
            } else {
                executor.execute(complete);
            }
        });
        return answered;
    }

    private static <T> CompletableFuture<HttpResponse<T>> busy(Supplier<T> busy) {
        return CompletableFuture.completedFuture(HttpResponse.<T>status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(RETRY_AFTER.toSeconds())).body(busy.get()));
    }

    /** How many requests wait for a thread. */
    public int waiting() {
        return executor.getQueue().size();
    }

    /** How many requests were taken and are not answered yet (waiting for a thread, handled, or waiting for Kafka). */
    public int inFlight() {
        return maxInFlight - inFlight.availablePermits();
    }

    /** A thread of the pool, told apart from the Kafka producer's thread that completes a send. */
    private static final class PoolThread extends Thread {
        PoolThread(Runnable work, String name) {
            super(work, name);
            setDaemon(true);
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
