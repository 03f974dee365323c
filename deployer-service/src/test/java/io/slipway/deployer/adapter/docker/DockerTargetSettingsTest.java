package io.slipway.deployer.adapter.docker;

import io.slipway.common.yaml.InvalidYaml;
import io.slipway.common.yaml.StrictYaml;
import io.slipway.common.yaml.YamlNode;
import io.slipway.deployer.adapter.docker.DockerTargetSettings.PortMapping;
import io.slipway.deployer.domain.DeploymentTarget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DockerTargetSettingsTest {

    private static final Map<String, String> SECRETS = Map.of("SLIPWAY_DEPLOYER_DB_PASSWORD", "s3cret",
            "SLIPWAY_DEPLOYER_REGISTRY_PASSWORD", "pull-pass");

    private static YamlNode block(String yaml) {
        return StrictYaml.read("environments.yml", yaml).orElseThrow();
    }

    private static DockerTargetSettings parse(String yaml) {
        return DockerTargetSettings.parse(block(yaml), SECRETS::get);
    }

    @Test
    void readsEveryKeyOfTheBlock() {
        DockerTargetSettings settings = parse("""
                kind: docker
                ports: ["127.0.0.1:18080:8000", "9090:90/udp", 8080:30]
                env: {GREETING: hello, WORKERS: 4, DEBUG: no}
                env-from: {DB_PASSWORD: SLIPWAY_DEPLOYER_DB_PASSWORD}
                memory: 256m
                cpus: 0.5
                health: {path: /healthz, timeout: 20s}
                capabilities: [NET_BIND_SERVICE]
                registry-username: puller
                registry-password-env: SLIPWAY_DEPLOYER_REGISTRY_PASSWORD
                """);

        assertThat(settings.host()).isEqualTo("unix:///var/run/docker.sock");
        assertThat(settings.tlsCertPath()).isNull();
        assertThat(settings.ports()).containsExactly(new PortMapping("127.0.0.1", 18080, 8000, "tcp"),
                new PortMapping("", 9090, 90, "udp"), new PortMapping("", 8080, 30, "tcp"));
        assertThat(settings.env()).containsExactlyInAnyOrderEntriesOf(Map.of("GREETING", "hello", "WORKERS", "4",
                "DEBUG", "no", "DB_PASSWORD", "s3cret"));
        assertThat(settings.memoryBytes()).isEqualTo(256L << 20);
        assertThat(settings.nanoCpus()).isEqualTo(500_000_000L);
        assertThat(settings.healthPath()).isEqualTo("/healthz");
        assertThat(settings.healthTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(settings.capabilities()).containsExactly("NET_BIND_SERVICE");
        assertThat(settings.registryUsername()).isEqualTo("puller");
        assertThat(settings.registryPassword()).isEqualTo("pull-pass");
        assertThat(settings.toString()).doesNotContain("s3cret", "pull-pass");
    }

    @Test
    void defaultsToTheLocalSocketAndASixtySecondHealthTimeout() {
        DockerTargetSettings settings = parse("kind: docker\n");

        assertThat(settings.host()).isEqualTo("unix:///var/run/docker.sock");
        assertThat(settings.ports()).isEmpty();
        assertThat(settings.healthPath()).isNull();
        assertThat(settings.healthTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.memoryBytes()).isZero();
        assertThat(settings.network()).isNull();
    }

    @Test
    void readsTheNetworkAndRefusesNamesThatAreNotANetworkOfItsOwn() {
        assertThat(parse("kind: docker\nnetwork: slipway-apps\n").network()).isEqualTo("slipway-apps");
        assertThat(parse("kind: docker\nnetwork: slipway-apps\n").toString()).contains("network slipway-apps");

        assertRefused("kind: docker\nnetwork: host\n", 2, "may not be 'host'");
        assertRefused("kind: docker\nnetwork: none\n", 2, "may not be 'none'");
        assertRefused("kind: docker\nnetwork: 'container:db'\n", 2, "must be a Docker network name");
        assertRefused("kind: docker\nnetwork: '-x'\n", 2, "must be a Docker network name");
        assertRefused("kind: docker\nnetwork: " + "n".repeat(129) + "\n", 2, "must be a Docker network name");
    }

    @Test
    void readsARemoteEngineOverTls(@TempDir Path certs) throws Exception {
        for (String file : List.of("ca.pem", "cert.pem", "key.pem")) {
            Files.writeString(certs.resolve(file), "pem");
        }

        DockerTargetSettings settings = parse("kind: docker\nhost: tcp://docker.example.com:2376\ntls-cert-path: "
                + certs + "\nports: ['0.0.0.0:80:8000']\n");

        assertThat(settings.host()).isEqualTo("tcp://docker.example.com:2376");
        assertThat(settings.tlsCertPath()).isEqualTo(certs.toString());
    }

    @Test
    void theFactoryMakesADockerTargetForARemoteTlsEngine(@TempDir Path certs) throws Exception {
        selfSignedClientFiles(certs);

        DeploymentTarget target = new DockerTargetFactory().create("production", block("kind: docker\n"
                + "host: tcp://127.0.0.1:2376\ntls-cert-path: " + certs + "\n").map(), SECRETS::get);

        assertThat(target.kind()).isEqualTo(DeploymentTarget.Kind.DOCKER);
    }

    @Test
    void refusesTlsFilesThatAreMissingOrForALocalSocket(@TempDir Path certs) throws Exception {
        assertRefused("kind: docker\nhost: tcp://h:2376\ntls-cert-path: " + certs + "\n", 3, "ca.pem");
        Files.writeString(certs.resolve("ca.pem"), "pem");
        assertRefused("kind: docker\ntls-cert-path: " + certs + "\n", 2, "only for a tcp:// host");
    }

    @Test
    void refusesAnUnknownKeyNamingItsLine() {
        assertRefused("kind: docker\nports: ['8080:80']\nmemroy: 256m\n", 3, "key 'memroy' is unknown");
    }

    @Test
    void refusesBadValuesNamingTheirLines() {
        assertRefused("kind: docker\nhost: http://h:2375\n", 2, "unix:///path/to/docker.sock or tcp://host:port");
        assertRefused("kind: docker\nhost: tcp://h\n", 2, "tcp://host:port");
        assertRefused("kind: docker\nports: ['80']\n", 2, "[ip:]hostPort:containerPort");
        assertRefused("kind: docker\nports: ['999.0.0.1:80:80']\n", 2, "IPv4");
        assertRefused("kind: docker\nports: ['70000:80']\n", 2, "1-65535");
        assertRefused("kind: docker\nports:\n  - '8080:80'\n  - '127.0.0.1:8080:81'\n", 4, "host port 8080/tcp twice");
        assertRefused("kind: docker\nmemory: lots\n", 2, "256m");
        assertRefused("kind: docker\nmemory: 1m\n", 2, "at least 6m");
        assertRefused("kind: docker\ncpus: -1\n", 2, "between 0.01 and 1024");
        assertRefused("kind: docker\nports: ['80:80']\nhealth: {path: healthz}\n", 3, "absolute path");
        assertRefused("kind: docker\nports: ['80:80']\nhealth: {path: /, timeout: 30}\n", 3, "needs a unit");
        assertRefused("kind: docker\nports: ['53:53/udp']\nhealth: {path: /}\n", 3, "needs a published TCP port");
        assertRefused("kind: docker\nhealth: {port: 80}\n", 2, "'health.port' is unknown");
        assertRefused("kind: docker\ncapabilities: [ALL]\n", 2, "capability name");
        assertRefused("kind: docker\ncapabilities: [MAKE_COFFEE]\n", 2, "capability name");
        assertRefused("kind: docker\nenv:\n  1BAD: x\n", 3, "not a variable name");
        assertRefused("kind: docker\nenv: {A: x}\nenv-from: {A: SLIPWAY_DEPLOYER_DB_PASSWORD}\n", 3, "also given");
    }

    @Test
    void refusesASecretWhoseVariableIsNotSet() {
        assertRefused("kind: docker\nenv-from:\n  TOKEN: SLIPWAY_DEPLOYER_MISSING\n", 3,
                "SLIPWAY_DEPLOYER_MISSING, which is not set");
        assertRefused("kind: docker\nregistry-password-env: SLIPWAY_DEPLOYER_REGISTRY_PASSWORD\n", 2,
                "needs 'registry-username'");
    }

    @Test
    void namesContainersInDockersAlphabet() {
        assertThat(ContainerNames.of("staging", "demo/hello_app").current())
                .isEqualTo("slipway-staging-demo-hello_app");
        assertThat(ContainerNames.of("staging", "demo/hello-app").current())
                .isEqualTo("slipway-staging-demo-hello-app");
        assertThat(ContainerNames.of("staging", "Demo/Hello_App").current())
                .matches("slipway-staging-demo-hello_app-[0-9a-f]{12}");
        assertThat(ContainerNames.of("staging", "group/sub/app+x").current())
                .matches("slipway-staging-group-sub-app-x-[0-9a-f]{12}");
        assertThat(ContainerNames.of("staging", "o/" + "n".repeat(300)).current()).hasSize(180)
                .matches("slipway-staging-o-n+-[0-9a-f]{12}");
        assertThat(ContainerNames.of("staging", "o/n").previous()).isEqualTo("slipway-staging-o-n-previous");
    }

    @Test
    void repositoriesOrEnvironmentsThatSanitiseAlikeNeverShareAContainerName() {
        List<ContainerNames> names = List.of(
                ContainerNames.of("staging", "a-b/c"), ContainerNames.of("staging", "a/b-c"),
                ContainerNames.of("staging", "a/b/c"), ContainerNames.of("staging", "A/b-c"),
                ContainerNames.of("staging", "a/b+c"), ContainerNames.of("staging-a", "b/c"),
                ContainerNames.of("staging", "a/b-c-next"), ContainerNames.of("staging", "a/b-c-previous"),
                ContainerNames.of("staging", "a/b-c-" + "0".repeat(12)));
        List<String> all = new java.util.ArrayList<>();
        names.forEach(n -> all.addAll(List.of(n.current(), n.next(), n.previous())));

        assertThat(all).doesNotHaveDuplicates();
    }

    /** A real key and certificate (the client loads them when it is made), the certificate doubling as the CA. */
    private static void selfSignedClientFiles(Path dir) throws Exception {
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=slipway-test", "-keyout", dir.resolve("key.pem").toString(), "-out",
                dir.resolve("cert.pem").toString()).redirectErrorStream(true).start();
        String output = new String(openssl.getInputStream().readAllBytes());
        assertThat(openssl.waitFor()).as(output).isZero();
        Files.copy(dir.resolve("cert.pem"), dir.resolve("ca.pem"));
    }

    private static void assertRefused(String yaml, int line, String detail) {
        assertThatThrownBy(() -> parse(yaml)).as(yaml).isInstanceOfSatisfying(InvalidYaml.class, e -> {
            assertThat(e.line()).as(e.getMessage()).isEqualTo(line);
            assertThat(e.getMessage()).contains(detail);
        });
    }
}
