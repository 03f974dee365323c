package io.slipway.bench;

import com.sun.net.httpserver.HttpServer;
import io.slipway.devstack.sink.NotificationSink;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Slack and GitHub for notifier-service during the benchmark: answers as the demo's {@link NotificationSink} does and
 * notes when each run's Slack message and each commit's success status arrived (epoch milliseconds).
 */
final class BenchSink implements AutoCloseable {

    private static final Pattern RUN_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern STATUS = Pattern.compile("/github/repos/[^/]+/[^/]+/statuses/([0-9a-f]+)");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final Map<String, Long> slackAt = new ConcurrentHashMap<>();
    private final Map<String, Long> statusAt = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();

    BenchSink(int port) throws IOException {
        // The JDK server writes headers and body apart; with Nagle's algorithm on, every answer would wait for the
        // client's delayed ACK (40 ms on Linux) and the benchmark would measure the sink instead of the notifier.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
        NotificationSink answers = new NotificationSink(new PrintStream(OutputStream.nullOutputStream()), this::observe);
        server.createContext("/", answers::handle);
        server.setExecutor(executor);
        server.start();
    }

    private void observe(String method, String path, String body) {
        long now = System.currentTimeMillis();
        requests.incrementAndGet();
        if (path.startsWith("/slack/")) {
            Matcher run = RUN_ID.matcher(body);
            while (run.find()) {
                slackAt.putIfAbsent(run.group(), now);
            }
            return;
        }
        Matcher status = STATUS.matcher(path);
        if (status.matches() && body.contains("\"success\"")) {
            statusAt.putIfAbsent(status.group(1), now);
        }
    }

    /** When the last of the run's notifications (its Slack message and its commit's success status) arrived. */
    Optional<Long> notifiedAt(String runId, String sha) {
        Long slack = slackAt.get(runId);
        Long status = statusAt.get(sha);
        return slack == null || status == null ? Optional.empty() : Optional.of(Math.max(slack, status));
    }

    long requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
