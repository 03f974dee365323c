package io.slipway.tools;

import io.slipway.common.yaml.StrictYaml;
import io.slipway.common.yaml.YamlMap;
import io.slipway.common.yaml.YamlNode;
import io.slipway.devstack.KafkaCredentials;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml (and its public-images override) is checked statically here; ComposeEndToEndTest runs it. Debian's
 * docker-compose accepts both files with the settings {@code ./slipway compose-env} writes; every variable it sets for a
 * Slipway service is one that service reads, in its own application.yml, in the settings all services share (common's
 * slipway-defaults.yml), or through Micronaut's own mapping of the environment; every secret comes from a variable,
 * never written in a file. The environments files (the dev stack's default and the compose stack's) are read as the
 * deployer reads them: strictly, with the keys of its format only.
 */
class DeploymentFilesTest {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
    /** A variable named like this holds a secret (the ./slipway script's SECRET_NAME). */
    private static final Pattern SECRET_NAME = Pattern.compile(
            ".*(PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIALS?|USER_INFO|BASIC_AUTH|JAAS_CONFIG|PRIVATE_KEY|API_KEY|ACCESS_KEY|WEBHOOK_URL|_PASSWORD_[A-Z0-9_]+)$");
    private static final Set<String> ENVIRONMENT_KEYS = Set.of("repositories", "refs", "previews", "url", "smoke",
            "target", "after", "approval", "soak");
    private static final Set<String> DOCKER_KEYS = Set.of("kind", "host", "tls-cert-path", "network", "ports", "env",
            "env-from", "memory", "cpus", "health", "registry-username", "registry-password-env");
    private static final List<String> COMPOSE_FILES = List.of("docker-compose.yml", "docker-compose.public.yml");
    @TempDir
    private static Path temp;
    private static Path composeEnv;

    @BeforeAll
    static void writeTheComposeSettings() throws Exception {
        composeEnv = temp.resolve("compose.env");
        // The group is given and the socket absent, so nothing here touches this machine's Docker engine.
        String output = run(Map.of("SLIPWAY_DOCKER_GID", "4242", "DOCKER_HOST", "unix://" + temp.resolve("none.sock"),
                "SLIPWAY_GIT_ROOT", temp.resolve("git").toString()), "./slipway", "compose-env", composeEnv.toString());
        assertThat(composeEnv).as(output).exists();
    }

    @Test
    void dockerComposeAcceptsTheFileAndThePublicImagesOverrideWithTheSettingsComposeEnvWrites() throws Exception {
        String base = run(Map.of(), "docker-compose", "--env-file", composeEnv.toString(), "-f", "docker-compose.yml",
                "config", "-q");
        String withOverride = run(Map.of(), "docker-compose", "--env-file", composeEnv.toString(), "-f",
                "docker-compose.yml", "-f", "docker-compose.public.yml", "config", "-q");

        assertThat(base).isEmpty();
        assertThat(withOverride).isEmpty();
    }

    @Test
    void dockerComposeRefusesToStartWithoutTheSecrets() throws Exception {
        Files.writeString(temp.resolve("empty.env"), "");
        Process process = new ProcessBuilder("docker-compose", "--env-file", temp.resolve("empty.env").toString(),
                "-f", "docker-compose.yml", "config", "-q").directory(ROOT.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isNotZero();
        assertThat(output).contains("run ./slipway compose-env first");
    }

    @Test
    @SuppressWarnings("unchecked")
    void noSecretIsWrittenInTheComposeFilesOnlyReferencedFromTheEnvironment() throws IOException {
        List<String> literal = new ArrayList<>();
        int secrets = 0;
        for (String file : COMPOSE_FILES) {
            Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve(file)));
            for (var service : ((Map<String, Map<String, Object>>) compose.get("services")).entrySet()) {
                Object environment = service.getValue().get("environment");
                if (!(environment instanceof Map<?, ?> variables)) {
                    continue;
                }
                for (var variable : variables.entrySet()) {
                    String name = String.valueOf(variable.getKey());
                    String value = String.valueOf(variable.getValue());
                    if (SECRET_NAME.matcher(name).matches() || value.contains("password=")) {
                        secrets++;
                        String withoutReferences = value.replaceAll("\\$\\{[A-Z0-9_]+(:[-?][^}]*)?}", "");
                        if (value.equals(withoutReferences) || withoutReferences.matches("(?s).*password=\"[^\"].*")) {
                            literal.add(file + ": " + service.getKey() + ": " + name);
                        }
                    }
                }
            }
        }
        assertThat(secrets).as("secrets passed to the services").isGreaterThan(30);
        assertThat(literal).as("secrets written in the compose files instead of ${VARIABLE}").isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void kafkaKnowsAPasswordForEveryPrincipalAndEachServiceLogsInAsItsOwn() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        Map<String, Object> kafka = (Map<String, Object>) services.get("kafka").get("environment");

        assertThat(kafka.keySet().stream().filter(k -> k.startsWith("SLIPWAY_KAFKA_PASSWORD_")))
                .containsExactlyInAnyOrderElementsOf(KafkaCredentials.PRINCIPALS.stream()
                        .map(p -> "SLIPWAY_KAFKA_PASSWORD_" + p.toUpperCase(Locale.ROOT).replace('-', '_')).toList());
        assertThat(Files.readAllLines(composeEnv).stream().filter(l -> l.startsWith("SLIPWAY_KAFKA_PASSWORD_"))
                .map(l -> l.substring(0, l.indexOf('='))))
                .as("compose-env writes them all").containsExactlyInAnyOrderElementsOf(kafka.keySet().stream()
                        .filter(k -> k.startsWith("SLIPWAY_KAFKA_PASSWORD_")).toList());
        for (var service : services.entrySet()) {
            if (service.getKey().endsWith("-service")) {
                String principal = service.getKey().replace("-service", "");
                Map<String, Object> environment = (Map<String, Object>) service.getValue().get("environment");
                assertThat(String.valueOf(environment.get("KAFKA_SASL_JAAS_CONFIG"))).as(service.getKey())
                        .contains("username=\"" + principal + "\" password=\"${SLIPWAY_KAFKA_PASSWORD_"
                                + principal.toUpperCase(Locale.ROOT) + "}\"");
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyVariableSetForAServiceIsOneItReads() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        ServiceVariables read = new ServiceVariables(ROOT);
        // The deployer reads a target's secret from the variable its environments file names (registry-password-env).
        String environmentsFile = Files.readString(ROOT.resolve("deploy/environments.compose.yml"));
        List<String> unread = new ArrayList<>();
        int checked = 0;
        for (var service : services.entrySet()) {
            Map<String, Object> environment = (Map<String, Object>) service.getValue().get("environment");
            checked += environment.size();
            if (read.isService(service.getKey())) {
                Set<String> namedByEnvironments = environment.keySet().stream()
                        .filter(v -> environmentsFile.contains("-env: " + v + "\n")).collect(Collectors.toSet());
                unread.addAll(read.unread(service.getKey(), environment.keySet(), namedByEnvironments));
                continue;
            }
            String reader = infrastructureSources(service.getKey());
            for (String variable : environment.keySet()) {
                boolean known = reader.contains("\"" + variable + "\"") || reader.contains("${" + variable)
                        || variable.startsWith("SLIPWAY_KAFKA_PASSWORD_") && reader.contains("SLIPWAY_KAFKA_PASSWORD_")
                        || ServiceVariables.READ_ELSEWHERE.contains(variable);
                if (!known) {
                    unread.add(service.getKey() + ": " + variable);
                }
            }
        }
        assertThat(checked).as("variables checked").isGreaterThan(80);
        assertThat(unread).as("variables set in docker-compose.yml that the service's configuration never reads")
                .isEmpty();
    }

    /** The sources that read the settings of Kafka and the schema registry (devstack's mains), or of a registry. */
    private static String infrastructureSources(String service) throws IOException {
        Path dir = service.startsWith("registry") ? ROOT.resolve("deploy/images")
                : ROOT.resolve("devstack/src/main/java/io/slipway/devstack");
        StringBuilder text = new StringBuilder();
        try (var files = Files.list(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                text.append(Files.readString(file));
            }
        }
        return text.toString();
    }

    @Test
    void theDefaultEnvironmentsFileHasTheDemosStagingAndApprovedProductionInTheEnvironmentsFormat() throws IOException {
        Path file = ROOT.resolve("deploy/environments.example.yml");
        YamlNode root = StrictYaml.read(file.toString(), Files.readString(file)).orElseThrow();
        YamlMap environments = root.map(Set.of("environments")).required("environments").map();

        assertThat(environments.keys()).containsExactly("staging", "production");
        Set<String> environmentKeys = ENVIRONMENT_KEYS;
        Set<String> dockerKeys = DOCKER_KEYS;
        YamlMap staging = environments.required("staging").map(environmentKeys);
        YamlMap production = environments.required("production").map(environmentKeys);
        YamlMap stagingTarget = staging.required("target").map(dockerKeys);
        YamlMap productionTarget = production.required("target").map(dockerKeys);

        assertThat(staging.has("after")).as("staging deploys at once after publication").isFalse();
        assertThat(texts(staging.required("repositories"))).containsExactly("demo/*");
        assertThat(texts(staging.required("refs"))).containsExactly("refs/heads/main");
        assertThat(staging.required("url").text()).isEqualTo("http://127.0.0.1:18080/");
        assertThat(stagingTarget.required("kind").text()).isEqualTo("docker");
        assertThat(texts(stagingTarget.required("ports"))).containsExactly("127.0.0.1:18080:8000");
        assertThat(production.required("after").text()).isEqualTo("staging");
        assertThat(production.required("approval").bool()).isTrue();
        assertThat(texts(production.required("refs"))).containsExactly("refs/heads/main", "refs/tags/v*");
        assertThat(production.required("url").text()).isEqualTo("http://127.0.0.1:18081/");
        assertThat(texts(productionTarget.required("ports"))).containsExactly("127.0.0.1:18081:8000");
        for (YamlMap environment : List.of(staging, production)) {
            assertThat(environment.required("smoke").list()).allSatisfy(check -> assertThat(
                    check.map(Set.of("path", "status", "contains")).required("path").text()).startsWith("/"));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theComposeEnvironmentsFileRunsTheAppsOnTheAppsNetworkAndPullsWithTheDeployersReadLogin() throws IOException {
        Path file = ROOT.resolve("deploy/environments.compose.yml");
        YamlNode root = StrictYaml.read(file.toString(), Files.readString(file)).orElseThrow();
        YamlMap environments = root.map(Set.of("environments")).required("environments").map();
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        Map<String, Object> deployer = ((Map<String, Map<String, Object>>) compose.get("services"))
                .get("deployer-service");
        Map<String, Object> deployerEnvironment = (Map<String, Object>) deployer.get("environment");

        assertThat(environments.keys()).containsExactly("staging", "production");
        for (String name : environments.keys()) {
            YamlMap environment = environments.required(name).map(ENVIRONMENT_KEYS);
            YamlMap target = environment.required("target").map(DOCKER_KEYS);
            assertThat(target.required("network").text()).isEqualTo("slipway-apps");
            assertThat(texts(target.required("ports"))).singleElement().asString().startsWith("127.0.0.1:28");
            assertThat(deployerEnvironment).containsKey(target.required("registry-password-env").text());
            assertThat(target.required("registry-username").text()).isEqualTo("deployer");
        }
        assertThat(environments.required("production").map(ENVIRONMENT_KEYS).required("approval").bool()).isTrue();
        assertThat((List<String>) deployer.get("networks")).contains("apps");
        assertThat((List<String>) deployer.get("volumes"))
                .contains("./deploy/environments.compose.yml:/etc/slipway/environments.yml:ro");
    }

    private static String run(Map<String, String> environment, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", List.of(command)).isTrue();
        assertThat(process.exitValue()).as("%s: %s", List.of(command), output).isZero();
        return output;
    }

    private static List<String> texts(YamlNode list) {
        return list.list().stream().map(YamlNode::text).toList();
    }
}
