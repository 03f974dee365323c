package io.slipway.tester.adapter.docker;

import io.slipway.tester.domain.ImageRef;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The staging registry's credentials go with pulls from that registry and no other, whatever the event names; without a
 * configured registry no image is admitted at all.
 */
class RegistryCredentialsTest {

    private static final String DIGEST = "sha256:" + "a".repeat(64);

    @Test
    void credentialsGoWithPullsFromTheConfiguredRegistryOnly() {
        DockerContainerEngine.Registry staging = new DockerContainerEngine.Registry("registry.internal:5000", "ci",
                "s3cret");

        assertThat(staging.authFor(new ImageRef("registry.internal:5000", "staging/app", DIGEST))).hasValueSatisfying(
                auth -> {
                    assertThat(auth.getUsername()).isEqualTo("ci");
                    assertThat(auth.getRegistryAddress()).isEqualTo("registry.internal:5000");
                });
        assertThat(staging.authFor(new ImageRef("registry.internal:5001", "staging/app", DIGEST))).isEmpty();
        assertThat(staging.authFor(new ImageRef("evil.example", "staging/app", DIGEST))).isEmpty();
        assertThat(staging).hasToString("registry.internal:5000 as ci");
    }

    @Test
    void withoutAConfiguredRegistryNoImageIsAdmittedAndNoCredentialGoesAnywhere() {
        DockerContainerEngine.Registry unset = new DockerContainerEngine.Registry("", "ci", "s3cret");

        assertThat(unset.admits(new ImageRef("evil.example", "staging/app", DIGEST))).isFalse();
        assertThat(unset.admits(new ImageRef("", "staging/app", DIGEST))).isFalse();
        assertThat(new DockerContainerEngine.Registry(null, null, null)
                .admits(new ImageRef("evil.example", "staging/app", DIGEST))).isFalse();
        assertThat(unset.authFor(new ImageRef("evil.example", "staging/app", DIGEST))).isEmpty();
        assertThat(new DockerContainerEngine.Registry("registry.internal:5000", "ci", "s3cret")
                .admits(new ImageRef("registry.internal:5000", "staging/app", DIGEST))).isTrue();
        assertThat(new DockerContainerEngine.Registry("registry.internal:5000", "", null)
                .authFor(new ImageRef("registry.internal:5000", "staging/app", DIGEST))).isEmpty();
    }
}
