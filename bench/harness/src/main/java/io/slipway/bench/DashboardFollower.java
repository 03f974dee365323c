package io.slipway.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Follows dashboard-service as its live pages do: reads its Server-Sent Events stream ({@code /events}) and notes when
 * each run's latest change was announced (the projection announces a change after committing it), and asks its runs
 * page whether any run is still shown RUNNING, to tell when the read model has caught up with the pipeline.
 */
final class DashboardFollower implements AutoCloseable {

    private static final Pattern RUN_ID = Pattern.compile("\"runId\":\"([^\"]+)\"");
    private static final Pattern RUN_LINK = Pattern.compile("href=\"/runs/[0-9a-f-]{36}/\\d+\"");

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Long> changedAt = new ConcurrentHashMap<>();
    private final InputStream stream;

    DashboardFollower(URI base) throws IOException, InterruptedException {
        this.base = base;
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(base.resolve("/events"))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IOException("the dashboard's /events answered " + response.statusCode());
        }
        this.stream = response.body();
        Thread reader = new Thread(this::read, "dashboard-events");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String event = "";
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("data:") && event.equals("run")) {
                    Matcher runId = RUN_ID.matcher(line);
                    if (runId.find()) {
                        changedAt.put(runId.group(1), System.currentTimeMillis());
                    }
                } else if (line.isEmpty()) {
                    event = "";
                }
            }
        } catch (IOException e) {
            // closed
        }
    }

    /** When the dashboard last announced a change of {@code runId} (epoch ms). */
    Optional<Long> changedAt(String runId) {
        return Optional.ofNullable(changedAt.get(runId));
    }

    /** Whether the runs page lists no run as RUNNING: every run the pipeline finished is projected as finished. */
    boolean caughtUp() throws IOException, InterruptedException {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(base.resolve("/runs?status=RUNNING")).build(),
                HttpResponse.BodyHandlers.ofString());
        return page.statusCode() == 200 && !RUN_LINK.matcher(page.body()).find();
    }

    @Override
    public void close() throws IOException {
        stream.close();
    }
}
