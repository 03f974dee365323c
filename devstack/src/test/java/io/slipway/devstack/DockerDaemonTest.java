package io.slipway.devstack;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A private engine as tests use it: its own images, no way to a registry, and a TLS port that wants a client cert. */
class DockerDaemonTest {

    private static DockerDaemon daemon;

    @BeforeAll
    static void startDaemon() {
        daemon = DockerDaemon.builder().tls().noRegistryAccess().start();
    }

    @AfterAll
    static void stopDaemon() {
        daemon.close();
    }

    @Test
    void listsNoImagesBecauseItIsNotTheMachinesEngine() {
        Result images = run(Map.of(), "docker", "-H", daemon.dockerHost(), "images", "--quiet");
        Result info = run(Map.of(), "docker", "-H", daemon.dockerHost(), "info", "--format",
                "{{.DockerRootDir}} {{.Driver}}");

        assertThat(images.exitCode()).as(images.output()).isZero();
        assertThat(images.output()).isBlank();
        assertThat(info.output().strip())
                .isEqualTo(Path.of(daemon.dockerHost().substring("unix://".length())).getParent().resolve("data")
                        + " " + daemon.storageDriver());
    }

    @Test
    void pullFailsWhenRegistriesAreCutOff() {
        Result pull = run(Map.of(), "docker", "-H", daemon.dockerHost(), "pull", "busybox:latest");

        assertThat(pull.exitCode()).as(pull.output()).isNotZero();
        assertThat(pull.output()).contains("proxyconnect");
    }

    @Test
    void tlsListenerRefusesClientWithoutCertificate() {
        String ping = "https://" + daemon.tlsHost().substring("tcp://".length()) + "/_ping";
        Result withoutCertificate = run(Map.of(), "curl", "--silent", "--show-error", "--max-time", "20",
                "--cacert", daemon.certPath().resolve("ca.pem").toString(), ping);

        assertThat(withoutCertificate.exitCode()).as(withoutCertificate.output()).isNotZero();
        assertThat(withoutCertificate.output()).doesNotContain("OK");
    }

    @Test
    void tlsListenerServesClientWithCertificate() {
        Result version = run(Map.of("DOCKER_HOST", daemon.tlsHost(), "DOCKER_TLS_VERIFY", "1",
                "DOCKER_CERT_PATH", daemon.certPath().toString()), "docker", "version", "--format", "{{.Server.Os}}");

        assertThat(version.exitCode()).as(version.output()).isZero();
        assertThat(version.output().strip()).isEqualTo("linux");
    }

    @Test
    void closeStopsTheEngineAndDeletesItsDirectory() {
        DockerDaemon other = DockerDaemon.start();
        Path dir = Path.of(other.dockerHost().substring("unix://".length())).getParent();
        Path pidFile = dir.resolve("docker.pid");
        long pid = Long.parseLong(read(pidFile).strip());

        other.close();

        assertThat(dir).doesNotExist();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
        Result images = run(Map.of(), "docker", "-H", other.dockerHost(), "images");
        assertThat(images.exitCode()).isNotZero();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(Map<String, String> environment, String... command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true);
            builder.environment().remove("DOCKER_HOST");
            builder.environment().putAll(environment);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
