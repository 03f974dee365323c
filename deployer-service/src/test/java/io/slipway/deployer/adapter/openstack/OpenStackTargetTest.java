package io.slipway.deployer.adapter.openstack;

import io.slipway.common.yaml.InvalidYaml;
import io.slipway.deployer.domain.Artifact;
import io.slipway.deployer.domain.DeployFailed;
import io.slipway.deployer.domain.DeployRequest;
import io.slipway.deployer.domain.Deployment;
import io.slipway.deployer.domain.DeploymentTarget;
import io.slipway.deployer.domain.TargetBlocks;
import io.slipway.deployer.domain.TargetUnavailable;
import io.slipway.openstack.OpenStackApiDouble;
import io.slipway.openstack.SlipwayMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The OpenStack target against the openstack module's API double (a local HTTP server answering the documented
 * Keystone and Nova API; no real cloud is involved).
 */
class OpenStackTargetTest {

    private static final String TARGET = """
            kind: openstack
            flavor: "%s"
            network: %s
            key-pair: ops
            security-groups: [web]
            """.formatted(OpenStackApiDouble.FLAVOR, OpenStackApiDouble.NETWORK);

    private OpenStackApiDouble api;
    private String image;

    @BeforeEach
    void start() throws Exception {
        api = new OpenStackApiDouble();
        image = api.seedImage("demo-vm-1f2e3d4c5b6a", "active", Map.of(SlipwayMetadata.RUN_ID, "run-2"),
                List.of("slipway"), "private");
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private Map<String, String> environment() {
        Map<String, String> env = new HashMap<>(api.environment());
        env.put("SLIPWAY_OPENSTACK_OWNER", "deployer-0");
        env.put("SLIPWAY_OPENSTACK_POLL_INTERVAL", "10ms");
        env.put("SLIPWAY_OPENSTACK_RETRY_BACKOFF", "10ms");
        env.put("SLIPWAY_OPENSTACK_API_ATTEMPTS", "2");
        return env;
    }

    private DeploymentTarget target() {
        return new OpenStackTargetFactory(environment()).create("staging", TargetBlocks.staging(TARGET), name -> null);
    }

    private DeployRequest request(String imageId) {
        return new DeployRequest("staging", "demo/vm", new Artifact(Artifact.Kind.VM, api.url() + "/image",
                "demo-vm-1f2e3d4c5b6a", imageId), "run-2", "b".repeat(40), false);
    }

    private String seedDeployed(String environment, String repository) {
        return api.seedServer("slipway-" + environment + "-old", "ACTIVE", Map.of(SlipwayMetadata.MANAGED,
                SlipwayMetadata.DEPLOYER, SlipwayMetadata.ENVIRONMENT, environment, SlipwayMetadata.REPOSITORY,
                repository, SlipwayMetadata.RUN_ID, "run-1"));
    }

    @Test
    void bootsTheImageThenDeletesTheEnvironmentsPreviousServer() throws Exception {
        String previous = seedDeployed("staging", "demo/vm");
        String production = seedDeployed("production", "demo/vm");
        String otherRepository = seedDeployed("staging", "demo/other");

        Deployment deployment = target().deploy(request(image));

        assertThat(deployment.url()).contains("http://127.0.0.1/");
        assertThat(api.deletedServers()).containsExactly(previous);
        OpenStackApiDouble.Guest booted = api.servers().stream().filter(guest -> guest.image().equals(image))
                .findFirst().orElseThrow();
        assertThat(booted.name()).matches("slipway-staging-demo-vm-[0-9a-f]{8}");
        assertThat(booted.metadata()).containsEntry(SlipwayMetadata.MANAGED, SlipwayMetadata.DEPLOYER)
                .containsEntry(SlipwayMetadata.ENVIRONMENT, "staging")
                .containsEntry(SlipwayMetadata.REPOSITORY, "demo/vm")
                .containsEntry(SlipwayMetadata.RUN_ID, "run-2")
                .containsEntry(SlipwayMetadata.REVISION, "b".repeat(40))
                .doesNotContainKey(SlipwayMetadata.EXPIRES);
        assertThat(booted.request().path("flavorRef").asText()).isEqualTo(OpenStackApiDouble.FLAVOR);
        assertThat(booted.request().path("networks").path(0).path("uuid").asText())
                .isEqualTo(OpenStackApiDouble.NETWORK);
        assertThat(booted.request().path("key_name").asText()).isEqualTo("ops");
        assertThat(booted.request().path("security_groups").path(0).path("name").asText()).isEqualTo("web");
        assertThat(api.servers()).extracting(OpenStackApiDouble.Guest::id).contains(production, otherRepository);
    }

    @Test
    void aServerThatGoesToErrorIsBootFailedAndDeletedWhileThePreviousKeepsServing() {
        String previous = seedDeployed("staging", "demo/vm");
        api.failBoots(true);

        assertThatThrownBy(() -> target().deploy(request(image)))
                .isInstanceOfSatisfying(DeployFailed.class, e -> assertThat(e.reasonCode()).isEqualTo("BOOT_FAILED"))
                .hasMessageContaining("ERROR");
        assertThat(api.servers()).extracting(OpenStackApiDouble.Guest::id).containsExactly(previous);
        assertThat(api.deletedServers()).hasSize(1).doesNotContain(previous);
    }

    @Test
    void deployingTheSameImageAgainBootsNothing() throws Exception {
        DeploymentTarget target = target();
        target.deploy(request(image));

        Deployment again = target.deploy(request(image));

        assertThat(again.url()).contains("http://127.0.0.1/");
        assertThat(api.count("POST", " /compute/v2\\.1/servers$")).isEqualTo(1);
        assertThat(api.servers()).hasSize(1);
        assertThat(api.deletedServers()).isEmpty();
    }

    @Test
    void anUnreachableCloudIsUnavailableAndBootsNothing() {
        api.failNext("GET", "/compute/v2\\.1/servers", 10, 503, "common/service-unavailable.html");

        assertThatThrownBy(() -> target().deploy(request(image))).isInstanceOf(TargetUnavailable.class);
        assertThat(api.count("POST", " /compute/v2\\.1/servers$")).isZero();
    }

    @Test
    void refusesAContainerImage() {
        DeployRequest container = new DeployRequest("staging", "demo/vm", new Artifact(Artifact.Kind.CONTAINER,
                "127.0.0.1:5000", "demo/vm", "sha256:" + "1".repeat(64)), "run-2", "b".repeat(40), false);

        assertThatThrownBy(() -> target().deploy(container))
                .isInstanceOfSatisfying(DeployFailed.class, e -> assertThat(e.reasonCode()).isEqualTo("CONFIG_INVALID"));
    }

    @Test
    void refusesAnUnknownKeyAMissingFlavorAndMissingCloudSettings() {
        OpenStackTargetFactory factory = new OpenStackTargetFactory(environment());
        assertThatThrownBy(() -> factory.create("staging", TargetBlocks.staging(TARGET + "image: x\n"), name -> null))
                .isInstanceOf(InvalidYaml.class).hasMessageContaining("line 9").hasMessageContaining("target.image' is unknown");
        assertThatThrownBy(() -> factory.create("staging", TargetBlocks.staging("kind: openstack\nnetwork: n\n"),
                name -> null))
                .isInstanceOf(InvalidYaml.class).hasMessageContaining("'environments.staging.target.flavor' is required");
        assertThatThrownBy(() -> new OpenStackTargetFactory(Map.of()).create("staging", TargetBlocks.staging(TARGET),
                name -> null))
                .isInstanceOf(InvalidYaml.class).hasMessageContaining("OS_AUTH_URL is not set");
    }
}
