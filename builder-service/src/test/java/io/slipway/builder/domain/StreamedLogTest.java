package io.slipway.builder.domain;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Batching one attempt's masked log into chunks: by size, by time, to its bound, numbered, never failing the build. */
class StreamedLogTest {

    private static final int CHUNK = 8 * 1024;
    private static final BuildRequest REQUEST = new BuildRequest("run-1", "org/app", "https://git.example.org/org/app.git",
            null, "0123456789abcdef0123456789abcdef01234567", "refs/heads/main", Instant.EPOCH, 0, 1, null, null, 3);

    private final List<LogStream.Chunk> sent = new ArrayList<>();
    private final List<Runnable> timers = new ArrayList<>();
    private final List<Duration> delays = new ArrayList<>();

    private StreamedLog.Streams streams(long limit) {
        LogStream port = chunk -> {
            sent.add(chunk);
            return CompletableFuture.completedFuture(null);
        };
        return new StreamedLog.Streams(port, (delay, task) -> {
            delays.add(delay);
            timers.add(task);
        }, new StreamedLog.Settings(CHUNK, Duration.ofMillis(250), limit, Duration.ofSeconds(1)));
    }

    private static String line(char c, int bytes) {
        return String.valueOf(c).repeat(bytes);
    }

    @Test
    void aChunkIsSentWhenTheNextLineWouldPassTheChunkSize() {
        StreamedLog log = streams(1 << 20).open(REQUEST);

        for (int i = 0; i < 5; i++) {
            log.line(line((char) ('a' + i), 2000));
        }

        assertThat(sent).singleElement().satisfies(chunk -> {
            assertThat(chunk.text().split("\n")).hasSize(4);
            assertThat(chunk.text().length()).isLessThanOrEqualTo(CHUNK);
            assertThat(chunk.last()).isFalse();
            assertThat(chunk.sequence()).isZero();
            assertThat(chunk.runId()).isEqualTo("run-1");
            assertThat(chunk.attempt()).isEqualTo(3);
            assertThat(chunk.repository()).isEqualTo("org/app");
        });
    }

    @Test
    void aChunkIsSentWhenItsLingerTimeAfterItsFirstLineIsUp() {
        StreamedLog log = streams(1 << 20).open(REQUEST);
        log.line("Step 1/2 : FROM scratch");
        log.line("Step 2/2 : COPY app /");

        assertThat(sent).isEmpty();
        assertThat(delays).containsExactly(Duration.ofMillis(250));
        timers.get(0).run();

        assertThat(sent).singleElement().satisfies(chunk ->
                assertThat(chunk.text()).isEqualTo("Step 1/2 : FROM scratch\nStep 2/2 : COPY app /"));
    }

    @Test
    void aLingerTimerOfAChunkAlreadySentByItsSizeSendsNothing() {
        StreamedLog log = streams(1 << 20).open(REQUEST);
        for (int i = 0; i < 5; i++) {
            log.line(line('x', 2000));
        }
        log.line("tail");

        timers.get(0).run();

        assertThat(sent).hasSize(1);
        timers.get(1).run();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).text()).isEqualTo(line('x', 2000) + "\ntail");
    }

    @Test
    void finishSendsTheRestAsTheLastChunkAndLaterLinesAreIgnored() {
        StreamedLog log = streams(1 << 20).open(REQUEST);
        log.line("one");

        log.finish();
        log.line("after the end");
        timers.forEach(Runnable::run);

        assertThat(sent).singleElement().satisfies(chunk -> {
            assertThat(chunk.text()).isEqualTo("one");
            assertThat(chunk.last()).isTrue();
            assertThat(chunk.truncated()).isFalse();
        });
    }

    @Test
    void anAttemptPastItsBoundEndsWithOneTruncatedChunkAndSendsNothingMore() {
        StreamedLog log = streams(5000).open(REQUEST);

        for (int i = 0; i < 10; i++) {
            log.line(line('y', 2000));
        }
        log.finish();
        timers.forEach(Runnable::run);

        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).text()).isEqualTo(line('y', 2000) + "\n" + line('y', 2000));
        assertThat(sent.get(0).last()).isFalse();
        assertThat(sent.get(1).truncated()).isTrue();
        assertThat(sent.get(1).last()).isTrue();
        assertThat(sent.get(1).text()).isEmpty();
        assertThat(sent.stream().mapToInt(c -> c.text().length()).sum()).isLessThanOrEqualTo(5000);
    }

    @Test
    void sequenceNumbersAreContiguousFromZeroAcrossSizeTimeAndTheEnd() {
        StreamedLog log = streams(1 << 20).open(REQUEST);
        for (int i = 0; i < 40; i++) {
            log.line(line('z', 1500));
            if (i % 7 == 0) {
                timers.get(timers.size() - 1).run();
            }
        }
        log.finish();

        assertThat(sent.stream().mapToLong(LogStream.Chunk::sequence).toArray())
                .containsExactly(LongStream.range(0, sent.size()).toArray());
        assertThat(sent).filteredOn(LogStream.Chunk::last).containsExactly(sent.get(sent.size() - 1));
        assertThat(String.join("\n", sent.stream().map(LogStream.Chunk::text).filter(t -> !t.isEmpty()).toList())
                .split("\n")).hasSize(40);
    }

    @Test
    void anAttemptBuiltAgainAfterAPauseGoesOnWithTheNextSequenceNumber() {
        StreamedLog.Streams streams = streams(1 << 20);
        StreamedLog first = streams.open(REQUEST);
        first.line("Pulling the base image");
        first.pause();

        StreamedLog again = streams.open(REQUEST);
        again.line("Step 1/1 : FROM scratch");
        again.finish();

        assertThat(sent).extracting(LogStream.Chunk::sequence).containsExactly(0L, 1L);
        assertThat(sent).extracting(LogStream.Chunk::last).containsExactly(false, true);
        assertThat(streams.open(REQUEST)).as("an ended attempt streams nothing more").isSameAs(again);
    }

    @Test
    void aPortThatThrowsOrNeverAnswersDoesNotStopTheBuild() {
        LogStream broken = chunk -> {
            if (chunk.sequence() == 0) {
                throw new IllegalStateException("producer closed");
            }
            return new CompletableFuture<>();
        };
        StreamedLog log = new StreamedLog.Streams(broken, (delay, task) -> { },
                new StreamedLog.Settings(CHUNK, Duration.ofMillis(250), 1 << 20, Duration.ofMillis(50))).open(REQUEST);

        for (int i = 0; i < 10; i++) {
            log.line(line('w', 2000));
        }
        long started = System.nanoTime();
        log.finish();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aLineLongerThanAChunkIsCutToFitOne() {
        StreamedLog log = streams(1 << 20).open(REQUEST);

        log.line(line('€', CHUNK));
        log.finish();

        assertThat(sent).singleElement().satisfies(chunk -> {
            assertThat(chunk.text()).endsWith(" …[line truncated]").startsWith("€€€");
            assertThat(chunk.text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(CHUNK);
        });
    }
}
