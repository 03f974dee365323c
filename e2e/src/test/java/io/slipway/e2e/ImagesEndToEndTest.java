package io.slipway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.devstack.DockerDaemon;
import io.slipway.devstack.KafkaCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code ./slipway images} on a private Docker engine that starts empty and cannot pull from any registry: every image
 * is built from Debian packages and this build's jars alone, runs as a non-root user, and works — the JRE runs Java, a
 * service image starts its jar, Kafka serves from its volume with the schema registry logged in, the registry image
 * demands its login and serves a read-only instance on one volume.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImagesEndToEndTest {

    private static final String USER = "10001:10001";
    private static final List<String> SERVICES = List.of("trigger-service", "builder-service", "tester-service",
            "deliverer-service", "notifier-service", "deployer-service", "dashboard-service");

    private final Path repo = SlipwayStack.repositoryRoot();
    private final List<String> containers = new ArrayList<>();
    private DockerDaemon engine;
    private String version;

    @BeforeAll
    void buildImagesOnAnEmptyEngineWithoutRegistryAccess() {
        engine = DockerDaemon.builder().noRegistryAccess().start();
        assertThat(docker("image", "ls", "-q").isBlank()).as("the private engine starts with no image").isTrue();
        Commands.run(repo, Map.of("DOCKER_HOST", engine.dockerHost()), Duration.ofMinutes(30),
                repo.resolve("slipway").toString(), "images");
        String jar = jarOf("devstack").getFileName().toString();
        version = jar.substring("devstack-".length(), jar.length() - "-all.jar".length());
    }

    @AfterAll
    void stopEngine() {
        for (String container : containers) {
            docker("rm", "-f", "-v", container);
        }
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void buildsEveryImageWithBothTagsFromAnImportedDebianRootNotAPulledBase() {
        for (String image : images()) {
            assertThat(docker("image", "inspect", "-f", "{{.Id}}", image + ":" + version))
                    .as(image).isEqualTo(docker("image", "inspect", "-f", "{{.Id}}", image + ":latest"));
            List<String> history = docker("history", "--no-trunc", "--format", "{{.CreatedBy}}|{{.Comment}}",
                    image + ":latest").lines().toList();
            assertThat(history.get(history.size() - 1)).as("the bottom layer of " + image)
                    .matches("\\|slipway slipway/(jre|registry-base) root filesystem \\(.+\\)");
        }
    }

    @Test
    void everyImageRunsAsTheNonRootUserSlipway() {
        for (String image : images()) {
            assertThat(docker("image", "inspect", "-f", "{{.Config.User}}", image)).as(image).isEqualTo(USER);
            assertThat(docker("run", "--rm", "--network=none", "--entrypoint", "id", image, "-un"))
                    .as(image).isEqualTo("slipway");
        }
    }

    @Test
    void jreImageRunsJava17() {
        assertThat(docker("run", "--rm", "--network=none", "slipway/jre", "java", "-version"))
                .contains("openjdk version \"17.");
    }

    @Test
    void serviceAndDevstackImagesHoldThisBuildsJarAndRunItWithJava() {
        for (String service : SERVICES) {
            assertThat(sha256InImage("slipway/" + service, "/opt/slipway/app.jar"))
                    .as(service).isEqualTo(sha256(jarOf(service)));
            assertThat(docker("image", "inspect", "-f", "{{json .Config.Entrypoint}}", "slipway/" + service))
                    .isEqualTo("[\"tini\",\"--\",\"java\",\"-XX:MaxRAMPercentage=75\",\"-jar\",\"/opt/slipway/app.jar\"]");
        }
        for (String image : List.of("slipway/kafka", "slipway/schema-registry")) {
            assertThat(sha256InImage(image, "/opt/slipway/devstack.jar")).as(image).isEqualTo(sha256(jarOf("devstack")));
        }
        assertThat(docker("image", "inspect", "-f", "{{json .Config.Entrypoint}}", "slipway/kafka"))
                .endsWith("\"-cp\",\"/opt/slipway/devstack.jar\",\"io.slipway.devstack.KafkaServerMain\"]");
        assertThat(docker("image", "inspect", "-f", "{{json .Config.Entrypoint}}", "slipway/schema-registry"))
                .endsWith("\"-cp\",\"/opt/slipway/devstack.jar\",\"io.slipway.devstack.SchemaRegistryMain\"]");
        assertThat(docker("image", "inspect", "-f", "{{json .Config.Volumes}}", "slipway/kafka"))
                .isEqualTo("{\"/var/lib/kafka\":{}}");
        assertThat(docker("run", "--rm", "--network=none", "--entrypoint", "stat", "slipway/kafka", "-c", "%u",
                "/var/lib/kafka")).isEqualTo("10001");
    }

    @Test
    void triggerImageStartsMicronautFromItsJar() {
        String container = start("--network=none", "slipway/trigger-service");
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() ->
                assertThat(docker("logs", container)).contains("io.micronaut.runtime.Micronaut"));
    }

    @Test
    void kafkaImageServesWithItsDataInTheVolumeAndTheSchemaRegistryImageLogsInToIt() {
        String volume = docker("volume", "create", "images-test-" + UUID.randomUUID());
        List<String> kafka = new ArrayList<>(List.of("--network=none", "-v", volume + ":/var/lib/kafka",
                "-e", "SLIPWAY_KAFKA_ADVERTISED=127.0.0.1:9092"));
        for (String principal : KafkaCredentials.PRINCIPALS) {
            kafka.addAll(List.of("-e", KafkaCredentials.PASSWORD_ENV_PREFIX
                    + principal.toUpperCase(Locale.ROOT).replace('-', '_') + "=" + password(principal)));
        }
        kafka.add("slipway/kafka");
        String broker = start(kafka.toArray(String[]::new));
        await().atMost(Duration.ofMinutes(3)).untilAsserted(() ->
                assertThat(docker("logs", broker)).contains("Slipway kafka ready"));
        assertThat(docker("run", "--rm", "--network=none", "-v", volume + ":/data", "--entrypoint", "stat",
                "slipway/jre", "-c", "%u", "/data/__cluster_metadata-0")).isEqualTo("10001");

        String registry = start("--network=container:" + broker, "-e", "KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092",
                "-e", "SLIPWAY_KAFKA_PASSWORD_SCHEMA_REGISTRY=" + password(KafkaCredentials.SCHEMA_REGISTRY),
                "slipway/schema-registry");
        await().atMost(Duration.ofMinutes(3)).untilAsserted(() ->
                assertThat(docker("logs", registry)).contains("Slipway schema registry ready"));
    }

    @Test
    void registryImageDemandsItsLoginAndAReadOnlyInstanceOnTheSameVolumeServesPullsButRefusesPushes() {
        String volume = docker("volume", "create", "images-test-" + UUID.randomUUID());
        String password = UUID.randomUUID().toString();
        String writer = start("--network=none", "-v", volume + ":/var/lib/registry", "-e", "REGISTRY_USERNAME=builder",
                "-e", "REGISTRY_PASSWORD=" + password, "slipway/registry");
        String reader = start("--network=none", "-v", volume + ":/var/lib/registry", "-e", "REGISTRY_READONLY=true",
                "slipway/registry");
        String login = "Basic " + Base64.getEncoder().encodeToString(("builder:" + password).getBytes(StandardCharsets.UTF_8));
        String wrong = "Basic " + Base64.getEncoder().encodeToString("builder:wrong".getBytes(StandardCharsets.UTF_8));
        String blob = "layer " + UUID.randomUUID();
        String digest = "sha256:" + hex(blob.getBytes(StandardCharsets.UTF_8));

        await().atMost(Duration.ofSeconds(60)).until(() -> status(writer, "GET /v2/", login).equals("200"));
        assertThat(status(writer, "GET /v2/", "")).isEqualTo("401");
        assertThat(status(writer, "GET /v2/", wrong)).isEqualTo("401");
        assertThat(status(writer, "POST /v2/team/app/blobs/uploads/", "")).as("anonymous push").isEqualTo("401");
        assertThat(pushBlob(writer, login, blob, digest)).as("push with the login").isEqualTo("201");

        await().atMost(Duration.ofSeconds(60)).until(() -> status(reader, "GET /v2/", "").equals("200"));
        assertThat(status(reader, "GET /v2/team/app/blobs/" + digest, "")).as("pull from read-only").isEqualTo("200");
        assertThat(status(reader, "POST /v2/team/app/blobs/uploads/", "")).as("push to read-only").isEqualTo("405");
    }

    /** The HTTP status of request {@code "METHOD path"} (with Authorization {@code auth} unless blank) to a registry. */
    private String status(String registry, String request, String auth) {
        String[] methodAndPath = request.split(" ", 2);
        return inRegistryNetwork(registry, Map.of("AUTH", auth),
                "request " + methodAndPath[0] + " '" + methodAndPath[1] + "' '' | head -n 1");
    }

    /** Pushes {@code blob} in two steps (start an upload, then PUT it with its digest); the status of the PUT. */
    private String pushBlob(String registry, String auth, String blob, String digest) {
        return inRegistryNetwork(registry, Map.of("AUTH", auth, "BLOB", blob, "DIGEST", digest), """
                location=$(request POST /v2/team/app/blobs/uploads/ '' | tr -d '\\r' | sed -n 's/^[Ll]ocation: //p')
                request PUT "/${location#*://*/}&digest=$DIGEST" "$BLOB" | head -n 1""");
    }

    /**
     * Runs a bash script in a JRE container sharing the registry container's network (both have none other), with a
     * function {@code request METHOD PATH BODY} that prints the registry's whole response; the status of its last line.
     */
    private String inRegistryNetwork(String registry, Map<String, String> env, String script) {
        List<String> command = new ArrayList<>(List.of("run", "--rm", "--network=container:" + registry));
        env.forEach((name, value) -> command.addAll(List.of("-e", name + "=" + value)));
        command.addAll(List.of("slipway/jre", "bash", "-c", """
                crlf=$'\\r\\n'
                request() {
                  exec 3<>/dev/tcp/127.0.0.1/5000
                  printf '%s %s HTTP/1.0\\r\\nHost: 127.0.0.1:5000\\r\\n%sContent-Length: %s\\r\\n\\r\\n%s' "$1" "$2" "${AUTH:+Authorization: $AUTH$crlf}" "${#3}" "$3" >&3
                  cat <&3
                  exec 3<&-
                }
                """ + script));
        String line = docker(command.toArray(String[]::new));
        String[] parts = line.split(" ");
        return parts.length > 1 ? parts[1] : line;
    }

    private static String password(String principal) {
        return principal + "-password-0123456789";
    }

    private String start(String... runArguments) {
        List<String> command = new ArrayList<>(List.of("run", "-d"));
        command.addAll(List.of(runArguments));
        String id = docker(command.toArray(String[]::new));
        containers.add(id);
        return id;
    }

    private String sha256InImage(String image, String file) {
        return docker("run", "--rm", "--network=none", "--entrypoint", "sha256sum", image, file).split(" ")[0];
    }

    private List<String> images() {
        List<String> images = new ArrayList<>(List.of("slipway/jre", "slipway/registry", "slipway/kafka",
                "slipway/schema-registry"));
        SERVICES.forEach(service -> images.add("slipway/" + service));
        return images;
    }

    private Path jarOf(String module) {
        try (var jars = Files.list(repo.resolve(module).resolve("target"))) {
            return jars.filter(jar -> jar.getFileName().toString().matches(module + "-.+-all\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no shaded jar of " + module));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String docker(String... arguments) {
        List<String> command = new ArrayList<>(List.of("docker", "-H", engine.dockerHost()));
        command.addAll(List.of(arguments));
        return Commands.run(repo, Map.of(), Duration.ofMinutes(2), command.toArray(String[]::new)).strip();
    }

    private static String sha256(Path file) {
        try {
            return hex(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
