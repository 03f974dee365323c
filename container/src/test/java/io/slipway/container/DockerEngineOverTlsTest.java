package io.slipway.container;

import com.github.dockerjava.api.DockerClient;
import io.slipway.devstack.DockerDaemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An engine reached over TLS ({@code DOCKER_HOST=tcp://…:2376}, {@code DOCKER_TLS_VERIFY=1}, {@code DOCKER_CERT_PATH}),
 * as builder and tester read it from their environment and the deployer from {@code tls-cert-path}: a private engine
 * that requires a client certificate.
 */
class DockerEngineOverTlsTest {

    private static DockerDaemon daemon;

    @BeforeAll
    static void startEngine() {
        daemon = DockerDaemon.builder().tls().noRegistryAccess().start();
    }

    @AfterAll
    static void stopEngine() {
        daemon.close();
    }

    @Test
    void theEnvironmentsCertificatesReachTheEngineOverTls() throws IOException {
        String certPath = DockerEngine.tlsCertPath(Map.of("DOCKER_TLS_VERIFY", "1",
                "DOCKER_CERT_PATH", daemon.certPath().toString()));

        try (DockerClient docker = DockerEngine.connect(daemon.tlsHost(), certPath, Duration.ofSeconds(10))) {
            docker.pingCmd().exec();
            assertThat(docker.listImagesCmd().exec()).as("the private engine, not the machine's").isEmpty();
            assertThat(docker.infoCmd().exec().getDockerRootDir()).startsWith(daemon.certPath().getParent().toString());
        }
    }

    @Test
    void aClientWithoutTlsGetsNoAnswerFromTheTlsPort() throws IOException {
        try (DockerClient docker = DockerEngine.connect(daemon.tlsHost(), null, Duration.ofSeconds(10))) {
            assertThatThrownBy(() -> docker.pingCmd().exec()).isInstanceOf(RuntimeException.class);
        }
    }

    @Test
    void anEngineOverTlsRefusesAClientCertificateItsCaDidNotSign(@TempDir Path stranger) throws Exception {
        Files.copy(daemon.certPath().resolve("ca.pem"), stranger.resolve("ca.pem"));
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=stranger", "-keyout", stranger.resolve("key.pem").toString(),
                "-out", stranger.resolve("cert.pem").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0).as("openssl made a cert").isTrue();

        try (DockerClient docker = DockerEngine.connect(daemon.tlsHost(), stranger.toString(), Duration.ofSeconds(10))) {
            assertThatThrownBy(() -> docker.pingCmd().exec()).hasStackTraceContaining("SSL");
        }
    }

    @Test
    void readsTlsSettingsAsDockersClientDoes() {
        assertThat(DockerEngine.tlsCertPath(Map.of())).isNull();
        assertThat(DockerEngine.tlsCertPath(Map.of("DOCKER_CERT_PATH", "/certs"))).as("no TLS without VERIFY")
                .isNull();
        assertThat(DockerEngine.tlsCertPath(Map.of("DOCKER_TLS_VERIFY", "0", "DOCKER_CERT_PATH", "/certs"))).isNull();
        assertThat(DockerEngine.tlsCertPath(Map.of("DOCKER_TLS_VERIFY", "false"))).isNull();
        assertThat(DockerEngine.tlsCertPath(Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", " /certs ")))
                .isEqualTo("/certs");
        assertThat(DockerEngine.tlsCertPath(Map.of("DOCKER_TLS_VERIFY", "true")))
                .isEqualTo(Path.of(System.getProperty("user.home"), ".docker").toString());
    }
}
