package io.slipway.deliverer.adapter.registry;

import io.slipway.common.kafka.TransientFailure;
import io.slipway.common.testing.LocalRegistry;
import io.slipway.common.testing.Skopeo;
import io.slipway.common.testing.TestImages;
import io.slipway.container.oci.OciRegistryException;
import io.slipway.container.oci.RegistryEndpoint;
import io.slipway.container.oci.RegistryUnavailableException;
import io.slipway.deliverer.domain.ImageRef;
import io.slipway.deliverer.domain.PromotionFailed;
import io.slipway.devstack.LoopbackPorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The domain's registry port on a real registry: copy, tag, read back, refusals as reason codes, and an unavailable
 * registry as a transient failure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryPromoterTest {

    @TempDir
    static Path dir;
    private LocalRegistry registry;

    @BeforeAll
    void start() {
        registry = LocalRegistry.start(dir.resolve("registry"), "deliverer", "right-password");
    }

    @AfterAll
    void stop() {
        registry.close();
    }

    private RegistryPromoter promoter(String password) {
        return new RegistryPromoter(new RegistryClients(List.of(new RegistryEndpoint(registry.host(), true,
                registry.user(), password)), Duration.ofSeconds(10), Duration.ofSeconds(10)));
    }

    @Test
    void copiesTagsAndReadsBackTheTestedDigest() {
        TestImages.Pushed image = TestImages.pushSmall(registry, "staging/promoted", "a".repeat(40), "run-1");
        RegistryPromoter promoter = promoter(registry.password());
        ImageRef release = new ImageRef(registry.host(), "promoted");

        var promotion = promoter.copy(new ImageRef(registry.host(), "staging/promoted"), image.digest(), release);
        promoter.tag(release, image.digest(), List.of("main", "latest"));

        assertThat(promotion.blobsMounted()).isEqualTo(2);
        assertThat(promoter.digestOf(release, "latest")).contains(image.digest());
        assertThat(promoter.digestOf(release, "never-pushed")).isEmpty();
        assertThat(Skopeo.tags(registry, "promoted")).containsExactlyInAnyOrder("main", "latest");
    }

    @Test
    void aDigestMissingFromStagingIsArtifactMissing() {
        String missing = "sha256:" + "9".repeat(64);

        assertThatThrownBy(() -> promoter(registry.password()).copy(new ImageRef(registry.host(), "staging/none"),
                missing, new ImageRef(registry.host(), "none")))
                .isInstanceOfSatisfying(PromotionFailed.class, e -> {
                    assertThat(e.reason()).isEqualTo(PromotionFailed.Reason.ARTIFACT_MISSING);
                    assertThat(e.getMessage()).contains("staging/none@" + missing);
                    assertThat(e.detail()).contains("404", "MANIFEST_UNKNOWN");
                });
    }

    @Test
    void refusedCredentialsAreRegistryAuthAndTheSecretIsNotRepeated() {
        assertThatThrownBy(() -> promoter("wrong-password").copy(new ImageRef(registry.host(), "staging/x"),
                "sha256:" + "8".repeat(64), new ImageRef(registry.host(), "x")))
                .isInstanceOfSatisfying(PromotionFailed.class, e -> {
                    assertThat(e.reason()).isEqualTo(PromotionFailed.Reason.REGISTRY_AUTH);
                    assertThat(e.getMessage() + e.detail()).doesNotContain("wrong-password").contains("401");
                });
    }

    @Test
    void anUnconfiguredLoopbackRegistryIsUsedAnonymouslyOverPlainHttp() {
        assertThat(RegistryClients.isLoopback("127.0.0.1:5000")).isTrue();
        assertThat(RegistryClients.isLoopback("localhost")).isTrue();
        assertThat(RegistryClients.isLoopback("[::1]:5000")).isTrue();
        assertThat(RegistryClients.isLoopback("registry.example.com:5000")).isFalse();
        assertThatThrownBy(() -> new RegistryClients(List.of(), Duration.ofSeconds(1), Duration.ofSeconds(1))
                .forHost(registry.host()).headManifest("app", "latest"))
                .isInstanceOfSatisfying(OciRegistryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(OciRegistryException.Kind.UNAUTHORIZED);
                    assertThat(e.getMessage()).startsWith("HEAD http://" + registry.host());
                });
    }

    @Test
    void aRegistryThatIsDownIsATransientFailureSoTheRecordIsRetried() throws IOException {
        String gone = "127.0.0.1:" + LoopbackPorts.free();
        RegistryPromoter promoter = new RegistryPromoter(new RegistryClients(List.of(), Duration.ofSeconds(2),
                Duration.ofSeconds(2)));

        assertThatThrownBy(() -> promoter.digestOf(new ImageRef(gone, "promoted"), "latest"))
                .isInstanceOf(TransientFailure.class).hasMessageContaining(gone)
                .hasCauseInstanceOf(RegistryUnavailableException.class);
    }
}
