package io.slipway.e2e;

import io.slipway.devstack.support.RawUpload;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing of a stack started with {@code ./slipway up} is exposed by accident: every listening socket of the dev stack
 * and the seven services (the dashboard's pages too) is bound to loopback (read from the kernel's socket table, no traffic sent anywhere else),
 * metrics, health details and reports answer only the management token, and the schema registry refuses anonymous
 * writes and a 50 MiB body while the pipeline keeps working.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExposureEndToEndTest {

    private static final List<String> SERVICES = List.of("trigger-service", "builder-service", "tester-service",
            "deliverer-service", "notifier-service", "deployer-service", "dashboard-service");
    private static final String LISTEN = "0A";
    private static final Set<String> LOOPBACK = Set.of("0100007F", "00000000000000000000000001000000",
            "0000000000000000FFFF00000100007F");
    private final HttpClient http = HttpClient.newHttpClient();
    private SlipwayStack slipway;

    @BeforeAll
    void startSlipway() {
        slipway = SlipwayStack.start(Map.of("SLIPWAY_DASHBOARD_ENABLED", "true"));
    }

    @AfterAll
    void stopSlipway() {
        if (slipway != null) {
            slipway.close();
        }
    }

    @Test
    void everyListeningSocketOfTheStackIsBoundToLoopback() throws IOException {
        Map<Long, String> listening = listeningSockets();

        for (String component : Stream.concat(Stream.of("devstack"), SERVICES.stream()).toList()) {
            List<String> addresses = new ArrayList<>();
            for (long inode : socketInodes(slipway.pid(component))) {
                if (listening.containsKey(inode)) {
                    addresses.add(listening.get(inode));
                }
            }
            assertThat(addresses).as("listening sockets of %s", component).isNotEmpty()
                    .allSatisfy(address -> assertThat(LOOPBACK).as("%s listens on %s", component, address)
                            .contains(address.substring(0, address.indexOf(':'))));
            if (!component.equals("devstack")) {
                String port = String.format(Locale.ROOT, ":%04X", slipway.serviceUrl(component).getPort());
                assertThat(addresses).as("%s's HTTP port among them", component).anyMatch(a -> a.endsWith(port));
            }
        }
    }

    @Test
    void metricsHealthDetailsAndReportsAnswerOnlyTheManagementToken() {
        String token = "Bearer " + slipway.credential("management.token");
        for (String service : SERVICES) {
            URI url = slipway.serviceUrl(service);

            assertThat(get(url.resolve("/prometheus"), null).statusCode()).as(service).isEqualTo(401);
            assertThat(get(url.resolve("/prometheus"), "Bearer not-the-token").statusCode()).as(service).isEqualTo(401);
            assertThat(get(url.resolve("/prometheus"), token).body()).as(service).contains("jvm_memory_used_bytes");
            HttpResponse<String> anonymousHealth = get(url.resolve("/health"), null);
            assertThat(anonymousHealth.statusCode()).as(service).isEqualTo(200);
            assertThat(anonymousHealth.body()).as(service).isEqualTo("{\"status\":\"UP\"}");
            assertThat(get(url.resolve("/health"), token).body()).as(service).contains("kafka");
        }
        HttpResponse<String> report = get(slipway.serviceUrl("tester-service").resolve("/reports/any-run/1"), null);
        assertThat(report.statusCode()).isEqualTo(401);
        assertThat(report.body()).contains("management token");
        assertThat(slipway.status()).doesNotContain("unhealthy").contains("healthy");
    }

    @Test
    void theRegistryRefusesAnonymousWritesAndAHugeBodyAndThePipelineStillPublishes() throws Exception {
        String subject = "exposure-probe-value";
        HttpResponse<String> anonymous = send(HttpRequest.newBuilder(URI.create(slipway.registryUrl()
                        + "/subjects/" + subject + "/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"schema\":\"\\\"string\\\"\"}")).build());

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(get(URI.create(slipway.registryUrl() + "/subjects"), null).body()).doesNotContain(subject);

        long fifty = 50L * 1024 * 1024;
        RawUpload.Result huge = RawUpload.post(slipway.registryUrl(), "/subjects/" + subject + "/versions",
                "Content-Length: " + fifty, fifty);

        assertThat(huge.statusLine()).startsWith("HTTP/1.1 413");
        assertThat(huge.bytesSent()).isLessThan(fifty);
        assertThat(get(URI.create(slipway.registryUrl() + "/subjects"), null).statusCode()).isEqualTo(200);
        try (Admin admin = Admin.create(new HashMap<>(slipway.kafkaClientConfig("admin")))) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("slipway.commits");
        }
        SampleRepository app = slipway.repository("e2e/exposure-app", false);
        SampleRepository.Push push = app.push();
        assertThat(slipway.events().awaitPublished(push.runId()).getDigest()).startsWith("sha256:");
    }

    /** LISTEN sockets of the kernel's TCP tables: inode → {@code HEXADDRESS:HEXPORT} as the tables write them. */
    private static Map<Long, String> listeningSockets() throws IOException {
        Map<Long, String> listening = new HashMap<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                if (fields[3].equals(LISTEN)) {
                    listening.put(Long.parseLong(fields[9]), fields[1]);
                }
            }
        }
        return listening;
    }

    /** The inodes of the sockets a process has open, from the {@code socket:[inode]} links in /proc/<pid>/fd. */
    private static Set<Long> socketInodes(long pid) throws IOException {
        Set<Long> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
                    }
                } catch (IOException closedMeanwhile) {
                    // A descriptor closed between the listing and the read is no listening socket.
                }
            }
        }
        return inodes;
    }

    private HttpResponse<String> get(URI uri, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request.build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
