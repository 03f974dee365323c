package io.slipway.openstack;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpenStackSettingsTest {

    @Test
    void readsAnApplicationCredentialFromOpenrcVariables() {
        OpenStackSettings settings = OpenStackSettings.fromEnvironment(Map.of(
                "OS_AUTH_URL", "https://keystone.example.com:5000/",
                "OS_APPLICATION_CREDENTIAL_ID", "423f19a4", "OS_APPLICATION_CREDENTIAL_SECRET", "s3cr3t",
                "OS_INTERFACE", "internalURL", "SLIPWAY_OPENSTACK_POLL_INTERVAL", "PT10S",
                "SLIPWAY_OPENSTACK_LEASE", "90m"));

        assertThat(settings.identityUrl()).isEqualTo("https://keystone.example.com:5000/v3");
        assertThat(settings.credentials()).isInstanceOf(OpenStackCredentials.ApplicationCredential.class);
        assertThat(settings.credentials().authBody()).isEqualTo(Map.of("identity", Map.of(
                "methods", List.of("application_credential"),
                "application_credential", Map.of("id", "423f19a4", "secret", "s3cr3t"))));
        assertThat(settings.endpointInterface()).isEqualTo("internal");
        assertThat(settings.pollInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.lease()).isEqualTo(Duration.ofMinutes(90));
        assertThat(settings.bootTimeout()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void credentialsNeverShowTheirSecretWhenPrinted() {
        OpenStackSettings settings = OpenStackSettings.fromEnvironment(Map.of("OS_AUTH_URL", "https://k/v3",
                "OS_USERNAME", "ci", "OS_PASSWORD", "hunter2", "OS_PROJECT_ID", "a6944d76"));

        assertThat(settings.toString()).contains("Password[ci").doesNotContain("hunter2");
        assertThat(settings.credentials().authBody()).containsEntry("scope",
                Map.of("project", Map.of("id", "a6944d76")));
    }

    @Test
    void namesEveryProblemAtOnce() {
        assertThatThrownBy(() -> OpenStackSettings.fromEnvironment(Map.of("OS_AUTH_TYPE", "password",
                "SLIPWAY_OPENSTACK_READ_TIMEOUT", "soon", "OS_INTERFACE", "backdoor")))
                .isInstanceOfSatisfying(VmImageException.class,
                        failure -> assertThat(failure.reason()).isEqualTo(VmFailureReason.CONFIG_INVALID))
                .hasMessageContaining("OS_AUTH_URL is not set")
                .hasMessageContaining("OS_USERNAME is not set")
                .hasMessageContaining("OS_PASSWORD is not set")
                .hasMessageContaining("OS_PROJECT_ID or OS_PROJECT_NAME is not set")
                .hasMessageContaining("SLIPWAY_OPENSTACK_READ_TIMEOUT is not a duration")
                .hasMessageContaining("OS_INTERFACE must be public, internal or admin");
    }

    @Test
    void testerFallsBackToTheBuildersServerSpec() {
        VmTesterSettings settings = VmTesterSettings.fromEnvironment(Map.of("SLIPWAY_OPENSTACK_FLAVOR", "2",
                "SLIPWAY_OPENSTACK_NETWORK", "net-1", "SLIPWAY_OPENSTACK_TEST_FLAVOR", "1",
                "SLIPWAY_OPENSTACK_TEST_SECURITY_GROUPS", "ssh-from-ci, default"));

        assertThat(settings.defaults()).isEqualTo(new VmSpec(null, "1", "net-1", null, List.of("ssh-from-ci", "default")));
        assertThat(settings.sshUser()).isEqualTo("root");
        assertThat(settings.sshPort()).isEqualTo(22);
    }
}
