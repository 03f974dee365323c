package io.slipway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slipway.common.kafka.KafkaClients;
import io.slipway.common.testing.LocalRegistry;
import io.slipway.common.testing.Skopeo;
import io.slipway.devstack.LoopbackPorts;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Slipway started the way a user starts it: {@code ./slipway up} with its own {@code SLIPWAY_HOME}, free ports and
 * a settings file ({@code SLIPWAY_ENV_FILE}, the keys {@code ./slipway demo} writes), so the dev stack and the
 * services run as separate processes from their {@code *-all.jar}. The deployer gets an empty environments file, so
 * nothing is deployed, and an operator token of this stack's own, unless the settings name their own
 * ({@code SLIPWAY_DEPLOYER_ENVIRONMENTS}, {@code SLIPWAY_DEPLOYER_TOKEN}). The dashboard runs only when the settings
 * say {@code SLIPWAY_DASHBOARD_ENABLED=true} (its database then lives in this stack's directory). Around it: two Debian {@code docker-registry}
 * instances with htpasswd (staging and release), the {@link LocalEndpoints} for Slack and GitHub, and
 * {@link PipelineEvents}. {@link #close} runs {@code ./slipway down}, also from a shutdown hook if the JVM is stopped.
 */
final class SlipwayStack implements AutoCloseable {

    /** The principal that reads every pipeline topic, the failures and the dead letters. */
    static final String OPS = "ops";
    /** The broker's super user: writes what no stage may, as a test that plants records must. */
    static final String ADMIN = "admin";

    private static final Duration UP_TIMEOUT = Duration.ofMinutes(5);
    /** How many instances of a service {@link #scale} may run: their ports are held from the start. */
    static final int MAX_INSTANCES = 2;
    /** {@code ./slipway scale} runs instance k of a service on its port + 100·(k−1). */
    private static final int INSTANCE_PORT_STRIDE = 100;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path repo = repositoryRoot();
    private final Path home;
    private final Map<String, String> env = new HashMap<>();
    private final List<AutoCloseable> resources = new ArrayList<>();
    /** How long before an {@code up} a kill can still be under way (the process exiting) when {@code up} looks. */
    private static final Duration KILL_EXIT_MARGIN = Duration.ofSeconds(5);
    private final AtomicBoolean down = new AtomicBoolean();
    private final Thread shutdownHook = new Thread(this::down, "slipway-down");
    private final Map<String, String> settings;
    private final String deployerToken;
    /** When the last {@link #kill} began ({@link System#nanoTime}), or {@code Long.MIN_VALUE} before the first. */
    private final AtomicLong lastKill = new AtomicLong(Long.MIN_VALUE);
    private LocalRegistry staging;
    private LocalRegistry release;
    private LocalEndpoints endpoints;
    private PipelineEvents events;

    private SlipwayStack(Path home, Map<String, String> settings) {
        this.home = home;
        this.settings = settings;
        this.deployerToken = settings.getOrDefault("SLIPWAY_DEPLOYER_TOKEN", UUID.randomUUID().toString().replace("-", ""));
        env.put("SLIPWAY_HOME", home.toString());
    }

    /** Starts everything under a fresh directory in {@code target/}, where the services' logs stay for a post-mortem. */
    static SlipwayStack start() {
        return start(Map.of());
    }

    /** As {@link #start()}, with {@code settings} added to (or overriding) the settings file's keys. */
    static SlipwayStack start(Map<String, String> settings) {
        try {
            Files.createDirectories(Path.of("target"));
            SlipwayStack stack = new SlipwayStack(Files.createTempDirectory(Path.of("target").toAbsolutePath(),
                    "slipway-e2e-"), settings);
            try {
                stack.up();
            } catch (RuntimeException | Error e) {
                stack.close();
                throw e;
            }
            return stack;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void up() throws IOException {
        for (String port : List.of("SLIPWAY_KAFKA_PORT", "SLIPWAY_CONTROLLER_PORT", "SLIPWAY_REGISTRY_PORT",
                "DEPLOYER_PORT", "DASHBOARD_PORT")) {
            env.put(port, String.valueOf(LoopbackPorts.free()));
        }
        // The services ./slipway scale runs more instances of: their further instances' ports are held too.
        for (String port : List.of("TRIGGER_PORT", "BUILDER_PORT", "TESTER_PORT", "DELIVERER_PORT", "NOTIFIER_PORT")) {
            env.put(port, String.valueOf(LoopbackPorts.free(MAX_INSTANCES, INSTANCE_PORT_STRIDE)));
        }
        env.put("SLIPWAY_ENV_FILE", home.resolve("e2e.env").toString());
        staging = keep(LocalRegistry.start(home.resolve("staging-registry"), "stager", "staging-" + UUID.randomUUID()));
        release = keep(LocalRegistry.start(home.resolve("release-registry"), "releaser", "release-" + UUID.randomUUID()));
        endpoints = keep(new LocalEndpoints(triggerUrl()));
        Path secret = secretFile();
        Path noEnvironments = Files.writeString(home.resolve("environments.yml"), "");
        Files.writeString(home.resolve("e2e.env"), String.join("\n",
                "SLIPWAY_WATCH='e2e/**'",
                "SLIPWAY_WEBHOOK_SECRET='" + Files.readString(secret) + "'",
                "SLIPWAY_CLONE_URL_SCHEMES=file,https,ssh",
                "SLIPWAY_ALLOW_FILE_URLS=true",
                "SLIPWAY_ALLOW_LOOPBACK_URLS=true",
                "SLIPWAY_STAGING_REGISTRY=" + staging.host(),
                "SLIPWAY_STAGING_REGISTRY_USER='" + staging.user() + "'",
                "SLIPWAY_STAGING_REGISTRY_PASSWORD='" + staging.password() + "'",
                "SLIPWAY_STAGING_REGISTRY_INSECURE=true",
                "SLIPWAY_RELEASE_REGISTRY=" + release.host(),
                "SLIPWAY_RELEASE_REGISTRY_USER='" + release.user() + "'",
                "SLIPWAY_RELEASE_REGISTRY_PASSWORD='" + release.password() + "'",
                "SLIPWAY_RELEASE_REGISTRY_INSECURE=true",
                "SLIPWAY_BUILDER_WORKDIR=" + home.resolve("builder"),
                "SLIPWAY_TESTER_REPORTS_DIR=" + home.resolve("tester/reports"),
                "SLIPWAY_TESTER_PUBLIC_URL=http://127.0.0.1:" + env.get("TESTER_PORT"),
                "SLACK_WEBHOOK_URL=" + endpoints.url("/slack/e2e"),
                "GITHUB_API_URL=" + endpoints.url("/github"),
                "GITHUB_TOKEN=e2e-token",
                "SLIPWAY_ISSUE_TRACKERS=github",
                "SLIPWAY_DEPLOYER_ENVIRONMENTS=" + noEnvironments,
                "SLIPWAY_DEPLOYER_TOKEN='" + deployerToken + "'",
                "SLIPWAY_DEPLOYER_URL=" + serviceUrl("deployer-service"),
                // One JVM fewer for the tests that do not look at the dashboard; a test's settings turn it on.
                "SLIPWAY_DASHBOARD_ENABLED=false",
                String.join("\n", settings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()),
                ""));
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        slipway("up");
        events = keep(new PipelineEvents(kafkaClientConfig(OPS), clientProperties(OPS), registryUrl()));
    }

    /** A new sample repository named {@code name}; its hook posts to trigger-service, or through the relay. */
    SampleRepository repository(String name, boolean relayed) {
        return repository(name, name, relayed);
    }

    /**
     * A new sample repository kept and publishing under {@code name}, whose hook announces it to trigger-service as
     * {@code announcedAs} (a name the trigger may refuse).
     */
    SampleRepository repository(String name, String announcedAs, boolean relayed) {
        try {
            Path dir = Files.createDirectories(home.resolve("repositories").resolve(name));
            String hookUrl = relayed ? endpoints.url("/relay") : triggerUrl().toString();
            return SampleRepository.create(repo, dir, name, announcedAs, hookUrl, secretFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Kills a component ({@code devstack}, {@code builder-service}, {@code builder-service-2} …) with SIGKILL, as a
     * crash or the OOM killer would: no shutdown hook, no {@code finally}. Returns once the process is gone. Not held
     * up by an {@link #upAgain} under way (a fault must land while the stage is at work, not once a restart is over).
     */
    void kill(String component) {
        try {
            long pid = pid(component);
            ProcessHandle process = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError(component + " is not running"));
            // Noted before the signal: an `up` under way may see the process gone before onExit() here does.
            lastKill.set(System.nanoTime());
            process.destroyForcibly();
            process.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("could not kill " + component, e);
        }
    }

    /**
     * {@code ./slipway up}: starts again whatever is not running (a killed service, instance or dev stack). One at a
     * time; a component {@link #kill killed} while it runs, or just before it (still exiting when {@code up} looked),
     * makes it fail ("exited while starting"), so it is run again then, and only then, at most three times. Returns
     * what it printed.
     */
    synchronized String upAgain() {
        for (int attempt = 1; ; attempt++) {
            long started = System.nanoTime();
            try {
                return slipway("up");
            } catch (AssertionError e) {
                long killed = lastKill.get();
                boolean killHitIt = killed != Long.MIN_VALUE && killed - started > -KILL_EXIT_MARGIN.toNanos();
                if (attempt == 3 || !killHitIt || !e.getMessage().contains(" exited while starting")) {
                    throw e;
                }
            }
        }
    }

    /**
     * Stops a component with SIGSTOP, as a long GC pause, a frozen VM or a stalled disk would: it keeps its sockets and
     * its state but does nothing, not even heartbeat its consumer group, until {@link #resume}.
     */
    void pause(String component) {
        signal("STOP", component);
    }

    /** Lets a {@link #pause paused} component go on (SIGCONT) from where it stood. */
    void resume(String component) {
        signal("CONT", component);
    }

    private void signal(String signal, String component) {
        Commands.run(home, Map.of(), Duration.ofSeconds(10), "kill", "-" + signal, String.valueOf(pid(component)));
    }

    /** What {@code ./slipway status} prints. */
    String status() {
        return slipway("status");
    }

    /** The process id of a running component ({@code tester-service}, {@code builder-service-2} …). */
    long pid(String component) {
        try {
            return Long.parseLong(Files.readString(home.resolve(component + ".pid")).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The port a service listens on, as {@code ./slipway up} was told ({@code TESTER_PORT} …). */
    int port(String service) {
        return Integer.parseInt(env.get(service.replace("-service", "").toUpperCase(java.util.Locale.ROOT) + "_PORT"));
    }

    /** {@code ./slipway scale <service> <instances>}, on the ports held for it, so at most {@link #MAX_INSTANCES}. */
    synchronized void scale(String service, int instances) {
        if (instances > MAX_INSTANCES) {
            throw new IllegalArgumentException("the stack holds ports for " + MAX_INSTANCES
                    + " instances of a service");
        }
        slipway("scale", service, String.valueOf(instances));
    }

    /** Where this stack keeps its files: settings, secret file, registries, logs, the builder's workspaces. */
    Path home() {
        return home;
    }

    /** The webhook secret the post-receive hooks sign with. */
    String webhookSecret() {
        try {
            return Files.readString(secretFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code POST /webhooks/generic} with {@code body}, signed with the webhook secret as the hook signs it. */
    HttpResponse<String> webhook(String body) {
        return trigger("/webhooks/generic", body, Map.of("X-Slipway-Event", "push",
                "X-Slipway-Delivery", UUID.randomUUID().toString(),
                "X-Slipway-Signature-256", "sha256=" + hmacSha256(webhookSecret(), body)));
    }

    /**
     * {@code POST /webhooks/github} of a GitHub {@code event} with {@code body} under {@code deliveryId}, signed
     * ({@code X-Hub-Signature-256}) with the webhook secret as GitHub signs it.
     */
    HttpResponse<String> githubWebhook(String event, String body, String deliveryId) {
        return trigger("/webhooks/github", body, Map.of("X-GitHub-Event", event, "X-GitHub-Delivery", deliveryId,
                "X-Hub-Signature-256", "sha256=" + hmacSha256(webhookSecret(), body)));
    }

    /** A {@code POST} of a JSON {@code body} to trigger-service's {@code path}, with {@code headers}. */
    HttpResponse<String> trigger(String path, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(triggerUrl().resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach trigger-service at " + triggerUrl(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The log of a component so far ({@code <component>.log} under {@code SLIPWAY_HOME}). */
    String log(String component) {
        try {
            return Files.readString(home.resolve(component + ".log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The builder's workspaces: instance 1's under {@code SLIPWAY_BUILDER_WORKDIR}, instance k's under its {@code -k}. */
    Path builderWorkspaces(int instance) {
        return Path.of(home.resolve("builder") + (instance == 1 ? "" : "-" + instance)).resolve("workspaces");
    }

    /** The workspaces builder instance {@code instance} has now (none when its directory does not exist yet). */
    List<Path> workspaces(int instance) {
        Path dir = builderWorkspaces(instance);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.list(dir)) {
            return paths.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    PipelineEvents events() {
        return events;
    }

    /**
     * A second reader of the pipeline topics, as {@code ops} but {@code read_uncommitted}: it sees the records of
     * aborted transactions too, which {@link #events} never shows. The caller closes it.
     */
    PipelineEvents uncommittedEvents() {
        Map<String, Object> config = kafkaClientConfig(OPS);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        return new PipelineEvents(config, clientProperties(OPS), registryUrl());
    }

    LocalEndpoints endpoints() {
        return endpoints;
    }

    LocalRegistry stagingRegistry() {
        return staging;
    }

    LocalRegistry releaseRegistry() {
        return release;
    }

    String bootstrapServers() {
        return "127.0.0.1:" + env.get("SLIPWAY_KAFKA_PORT");
    }

    /** The schema registry of the dev stack. */
    String registryUrl() {
        return "http://127.0.0.1:" + env.get("SLIPWAY_REGISTRY_PORT");
    }

    /** {@code ./slipway <command>} against this stack, as a user types it; its output. Fails when it fails. */
    String command(String... command) {
        return slipway(command);
    }

    /**
     * What a Kafka client needs to connect as {@code principal} ({@code trigger}, {@code builder}, …, {@code ops},
     * {@code admin}): the bootstrap servers and the security settings {@code ./slipway up} generated for it.
     */
    Map<String, Object> kafkaClientConfig(String principal) {
        Map<String, Object> config = new HashMap<>();
        try {
            config.putAll(KafkaClients.fromFile(clientProperties(principal)));
        } catch (IOException e) {
            throw new UncheckedIOException("no Kafka credentials for " + principal, e);
        }
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return config;
    }

    /** The Kafka client properties file {@code ./slipway up} wrote for {@code principal} (mode 0600). */
    Path clientProperties(String principal) {
        return home.resolve("credentials").resolve("kafka-" + principal + ".properties");
    }

    /** {@code http://127.0.0.1:<port>} of a service ({@code trigger-service} …), as {@code ./slipway up} started it. */
    URI serviceUrl(String service) {
        String variable = service.substring(0, service.indexOf('-')).toUpperCase(Locale.ROOT) + "_PORT";
        return URI.create("http://127.0.0.1:" + env.get(variable));
    }

    /** A credential {@code ./slipway up} generated ({@code management.token}, {@code registry.userinfo}). */
    String credential(String name) {
        try {
            return Files.readString(home.resolve("credentials").resolve(name)).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A {@code POST} of a JSON {@code body} to deployer-service's {@code path} ({@code /approvals}, {@code /rollbacks})
     * with this stack's operator token.
     */
    HttpResponse<String> deployer(String path, String body) {
        return deployer(HttpRequest.newBuilder(serviceUrl("deployer-service").resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    /** deployer-service's {@code GET /environments} with the operator token: what runs where, and what waits. */
    JsonNode environments() {
        HttpResponse<String> answer = deployer(HttpRequest.newBuilder(serviceUrl("deployer-service")
                .resolve("/environments")).GET());
        if (answer.statusCode() != 200) {
            throw new AssertionError("GET /environments answered " + answer.statusCode() + ": " + answer.body());
        }
        try {
            return JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A {@code GET} of dashboard-service's {@code path} ({@code /runs}, {@code /health} …), as a browser asks it. */
    HttpResponse<String> dashboard(String path) {
        URI url = serviceUrl("dashboard-service").resolve(path);
        try {
            return HTTP.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach dashboard-service at " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> deployer(HttpRequest.Builder builder) {
        HttpRequest request = builder.header("Authorization", "Bearer " + deployerToken).build();
        URI url = request.uri();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach deployer-service at " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The tags of a release repository, from the registry's {@code tags/list}; empty when it has none. */
    List<String> releaseTags(String repository) {
        return tags(release, repository);
    }

    /** The tags of a staging repository ({@code staging/<image>}), as {@link #releaseTags}. */
    List<String> stagingTags(String repository) {
        return tags(staging, repository);
    }

    private static List<String> tags(LocalRegistry registry, String repository) {
        HttpRequest request = HttpRequest.newBuilder(registry.url().resolve("/v2/" + repository + "/tags/list"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (registry.user() + ":" + registry.password()).getBytes(StandardCharsets.UTF_8))).build();
        try {
            HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 404) {
                return List.of();
            }
            List<String> tags = new ArrayList<>();
            JSON.readTree(answer.body()).path("tags").forEach(tag -> tags.add(tag.asText()));
            return tags;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code skopeo inspect} of a release image: {@code Digest} (of the manifest the tag names) and {@code Labels}. */
    JsonNode releaseImage(String repository, String tag) {
        return Skopeo.inspect(release, repository + ":" + tag);
    }

    @Override
    public void close() {
        try {
            down();
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } finally {
            for (int i = resources.size() - 1; i >= 0; i--) {
                try {
                    resources.get(i).close();
                } catch (Exception e) {
                    // Closing the rest matters more than this one's failure.
                }
            }
        }
    }

    private void down() {
        if (down.compareAndSet(false, true)) {
            slipway("down");
        }
    }

    private String slipway(String... command) {
        try {
            List<String> line = new ArrayList<>(List.of(repo.resolve("slipway").toString()));
            line.addAll(List.of(command));
            return Commands.run(repo, env, UP_TIMEOUT, line.toArray(String[]::new));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n(service logs: " + home + ")", e);
        }
    }

    private URI triggerUrl() {
        return URI.create("http://127.0.0.1:" + env.get("TRIGGER_PORT"));
    }

    private Path secretFile() throws IOException {
        Path file = home.resolve("webhook.secret");
        if (!Files.exists(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, UUID.randomUUID().toString().replace("-", ""));
        }
        return file;
    }

    private <T extends AutoCloseable> T keep(T resource) {
        resources.add(resource);
        return resource;
    }

    /** The Slipway repository this test runs in (where {@code ./slipway} is). */
    static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isExecutable(dir.resolve("slipway")) && Files.isDirectory(dir.resolve("examples/hello-app"))) {
                return dir;
            }
        }
        throw new IllegalStateException("the Slipway repository (./slipway, examples/hello-app) is not above "
                + Path.of("").toAbsolutePath());
    }

    private static String hmacSha256(String key, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
