package io.slipway.deployer.adapter.docker;

import io.slipway.common.yaml.StrictYaml;
import io.slipway.deployer.domain.Artifact;
import io.slipway.deployer.domain.DeployRequest;
import io.slipway.deployer.domain.DeploymentTarget;
import io.slipway.deployer.domain.TargetUnavailable;
import io.slipway.devstack.DockerDaemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A docker target on an engine that speaks only TLS with client certificates: {@code tls-cert-path} gets through. */
class DockerTargetOverTlsTest {

    private static DockerDaemon daemon;

    @BeforeAll
    static void startEngine() {
        daemon = DockerDaemon.builder().tls().noRegistryAccess().start();
    }

    @AfterAll
    static void stopEngine() {
        daemon.close();
    }

    private static DeploymentTarget target(boolean withCertificates) {
        String yaml = "kind: docker\nhost: " + daemon.tlsHost() + "\n"
                + (withCertificates ? "tls-cert-path: " + daemon.certPath() + "\n" : "");
        return new DockerTargetFactory().create("tls", StrictYaml.read("environments.yml", yaml).orElseThrow().map(),
                Map.<String, String>of()::get);
    }

    @Test
    void theTargetsCertificatesReachTheEngine() {
        DockerTarget target = (DockerTarget) target(true);

        assertThatCode(() -> target.reconcile("demo/app")).doesNotThrowAnyException();
    }

    @Test
    void withoutCertificatesTheEngineDoesNotAnswerAndNothingChanges() {
        DeployRequest request = new DeployRequest("tls", "demo/app", new Artifact(Artifact.Kind.CONTAINER,
                "127.0.0.1:5000", "demo/app", "sha256:" + "a".repeat(64)), "run-1", "c0ffee", false);

        assertThatThrownBy(() -> target(false).deploy(request)).isInstanceOf(TargetUnavailable.class)
                .hasMessageContaining("does not answer");
    }
}
