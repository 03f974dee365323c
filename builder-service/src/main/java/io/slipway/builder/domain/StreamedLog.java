package io.slipway.builder.domain;

import io.slipway.common.cache.BoundedCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The streamed copy of one attempt's build log: masked lines (as {@link BuildLog} emits them) are batched into
 * {@link LogStream.Chunk}s, sent when a chunk would pass {@link Settings#chunkBytes} or {@link Settings#linger} after
 * its first line, whichever comes first, and at {@link #finish()} with {@code last=true}. Once the attempt's lines
 * would pass {@link Settings#limitBytes}, one empty chunk with {@code truncated=true, last=true} says so and nothing
 * more is sent. Sending never blocks the build: {@link #finish()} waits at most {@link Settings#flushWait}.
 */
public final class StreamedLog {

    /** Where the linger timer runs: {@code task} is called once, about {@code delay} from now, on another thread. */
    @FunctionalInterface
    public interface Timer {
        void schedule(Duration delay, Runnable task);
    }

    /**
     * The bounds of every attempt's stream.
     *
     * @param chunkBytes the most UTF-8 text bytes in one chunk (64 KiB)
     * @param linger     how long the first line of a chunk waits for more
     * @param limitBytes the most text bytes streamed per attempt
     * @param flushWait  how long {@link #finish()} waits for the chunks still in flight
     */
    public record Settings(int chunkBytes, Duration linger, long limitBytes, Duration flushWait) {

        /** 64 KiB chunks, 250 ms linger, 4 MiB per attempt, 2 s flush. */
        public static Settings defaults() {
            return new Settings(64 * 1024, Duration.ofMillis(250), 4L * 1024 * 1024, Duration.ofSeconds(2));
        }

        public Settings {
            if (chunkBytes < BuildLog.MAX_LINE_BYTES * 2) {
                throw new IllegalArgumentException("a log chunk must hold at least two whole lines ("
                        + BuildLog.MAX_LINE_BYTES * 2 + " bytes), not " + chunkBytes);
            }
            if (limitBytes < 0) {
                throw new IllegalArgumentException("the log stream limit must not be negative, not " + limitBytes);
            }
        }

        /** The same bounds with another flush wait. */
        public Settings withFlushWait(Duration wait) {
            return new Settings(chunkBytes, linger, limitBytes, wait);
        }
    }

    /**
     * Opens the streamed log of each attempt with one port, one timer and one set of bounds. The log of an attempt
     * built again (retried after an unreachable engine, or handed back at shutdown) goes on where it stopped: its
     * sequence continues, and an attempt whose log ended streams nothing more. The most recent attempts are
     * remembered, {@value #REMEMBERED} of them.
     */
    public static final class Streams {

        /** Streams nothing. */
        public static final Streams NONE = new Streams(LogStream.NONE, (delay, task) -> { }, Settings.defaults());

        static final int REMEMBERED = 1024;

        private final LogStream stream;
        private final Timer timer;
        private final Settings settings;
        private final BoundedCache<String, StreamedLog> attempts = new BoundedCache<>(REMEMBERED);

        public Streams(LogStream stream, Timer timer, Settings settings) {
            this.stream = stream;
            this.timer = timer;
            this.settings = settings;
        }

        public Settings settings() {
            return settings;
        }

        /** The same port and timer with other bounds. */
        public Streams with(Settings other) {
            return new Streams(stream, timer, other);
        }

        /** The streamed log of the request's run attempt. */
        public StreamedLog open(BuildRequest request) {
            return attempts.get(request.runId() + "#" + request.attempt(), key -> new StreamedLog(stream, timer,
                    settings, request.runId(), request.attempt(), request.repository()));
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(StreamedLog.class);

    private final LogStream stream;
    private final Timer timer;
    private final Settings settings;
    private final String runId;
    private final int attempt;
    private final String repository;
    private final List<String> pending = new ArrayList<>();
    private final List<CompletableFuture<Void>> inFlight = new ArrayList<>();
    private int pendingBytes;
    private long streamedBytes;
    private long sequence;
    private long batch;
    private boolean closed;

    StreamedLog(LogStream stream, Timer timer, Settings settings, String runId, int attempt, String repository) {
        this.stream = stream;
        this.timer = timer;
        this.settings = settings;
        this.runId = runId;
        this.attempt = attempt;
        this.repository = repository;
    }

    /**
     * Adds one complete masked line; ignored once the stream was truncated or finished. A line longer than a chunk
     * (never one of {@link BuildLog}'s, which bounds its lines) is cut to fit.
     */
    public synchronized void line(String line) {
        if (closed) {
            return;
        }
        if (bytes(line) > settings.chunkBytes()) {
            line = line.substring(0, settings.chunkBytes() / 4) + " …[line truncated]";
        }
        int size = bytes(line) + (pending.isEmpty() ? 0 : 1);
        if (streamedBytes + pendingBytes + size > settings.limitBytes()) {
            sendPending(false);
            send("", true, true);
            closed = true;
            return;
        }
        if (pendingBytes + size > settings.chunkBytes()) {
            sendPending(false);
            size = bytes(line);
        }
        pending.add(line);
        pendingBytes += size;
        if (pending.size() == 1) {
            long current = batch;
            timer.schedule(settings.linger(), () -> lingered(current));
        }
        if (pendingBytes == settings.chunkBytes()) {
            sendPending(false);
        }
    }

    /**
     * Ends the attempt's stream with a {@code last} chunk (unless a truncated one ended it already) and waits up to
     * the flush wait for what is still in flight; a chunk not sent by then is left to the transport.
     */
    public void finish() {
        List<CompletableFuture<Void>> waiting;
        synchronized (this) {
            if (!closed) {
                sendPending(true);
                closed = true;
            }
            waiting = List.copyOf(inFlight);
            inFlight.clear();
        }
        await(waiting);
    }

    private void await(List<CompletableFuture<Void>> waiting) {
        if (settings.flushWait().isZero() || waiting.isEmpty()) {
            return;
        }
        try {
            CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new))
                    .get(settings.flushWait().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Log chunks of run {} attempt {} still unsent after {}; the build does not wait for them",
                    runId, attempt, settings.flushWait());
        }
    }

    /**
     * Sends what is pending without ending the stream (the attempt stopped without an outcome and will be built
     * again), waiting as {@link #finish()} does.
     */
    public void pause() {
        List<CompletableFuture<Void>> waiting;
        synchronized (this) {
            if (!closed) {
                sendPending(false);
            }
            waiting = List.copyOf(inFlight);
            inFlight.clear();
        }
        await(waiting);
    }

    private synchronized void lingered(long scheduledBatch) {
        if (!closed && batch == scheduledBatch && !pending.isEmpty()) {
            sendPending(false);
        }
    }

    private void sendPending(boolean last) {
        if (pending.isEmpty() && !last) {
            return;
        }
        String text = String.join("\n", pending);
        streamedBytes += pendingBytes;
        pending.clear();
        pendingBytes = 0;
        send(text, last, false);
    }

    private void send(String text, boolean last, boolean truncated) {
        batch++;
        LogStream.Chunk chunk = new LogStream.Chunk(runId, attempt, repository, sequence++, text, last, truncated);
        try {
            CompletableFuture<Void> sent = stream.send(chunk);
            inFlight.removeIf(CompletableFuture::isDone);
            inFlight.add(sent);
        } catch (RuntimeException e) {
            // The port promises not to throw; should it, the build still must not notice.
            LOG.warn("Log chunk {} of run {} attempt {} was not sent: {}", chunk.sequence(), runId, attempt,
                    e.toString());
        }
    }

    private static int bytes(String line) {
        return line.getBytes(StandardCharsets.UTF_8).length;
    }
}
