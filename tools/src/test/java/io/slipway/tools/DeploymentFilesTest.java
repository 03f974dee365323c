package io.slipway.tools;

import io.slipway.common.yaml.StrictYaml;
import io.slipway.common.yaml.YamlMap;
import io.slipway.common.yaml.YamlNode;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml is checked statically (it cannot be run here: its images come from Docker Hub): Debian's
 * docker-compose accepts it, and every variable it sets for a Slipway service is one that service reads, in its own
 * application.yml or in the settings all services share (common's slipway-defaults.yml). The default environments
 * file that {@code ./slipway up} installs is read as the deployer reads it: strictly, with the keys of its format only.
 */
class DeploymentFilesTest {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();

    @Test
    void dockerComposeAcceptsTheFile() throws Exception {
        Process process = new ProcessBuilder("docker-compose", "-f", ROOT.resolve("docker-compose.yml").toString(),
                "config", "-q").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("docker-compose config: %s", output).isZero();
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyVariableSetForAServiceIsOneItReads() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        ServiceVariables read = new ServiceVariables(ROOT);
        List<String> unread = new ArrayList<>();
        int checked = 0;
        for (var service : services.entrySet()) {
            if (!read.isService(service.getKey())) {
                continue;
            }
            Map<String, Object> environment = (Map<String, Object>) service.getValue().get("environment");
            checked += environment.size();
            unread.addAll(read.unread(service.getKey(), environment.keySet(), Set.of()));
        }
        assertThat(checked).as("variables checked").isGreaterThan(20);
        assertThat(unread).as("variables set in docker-compose.yml that the service's configuration never reads")
                .isEmpty();
    }

    @Test
    void theDefaultEnvironmentsFileHasTheDemosStagingAndApprovedProductionInTheEnvironmentsFormat() throws IOException {
        Path file = ROOT.resolve("deploy/environments.example.yml");
        YamlNode root = StrictYaml.read(file.toString(), Files.readString(file)).orElseThrow();
        YamlMap environments = root.map(Set.of("environments")).required("environments").map();

        assertThat(environments.keys()).containsExactly("staging", "production");
        Set<String> environmentKeys = Set.of("repositories", "refs", "previews", "url", "smoke", "target", "after",
                "approval", "soak");
        Set<String> dockerKeys = Set.of("kind", "host", "tls-cert-path", "ports", "env", "env-from", "memory", "cpus",
                "health", "registry-username", "registry-password-env", "network");
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

    private static List<String> texts(YamlNode list) {
        return list.list().stream().map(YamlNode::text).toList();
    }
}
