package io.slipway.deliverer.adapter.dryrun;

import io.slipway.deliverer.domain.ImageRef;
import io.slipway.deliverer.domain.ImageRegistry.Promotion;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dry-run registry remembers in memory what the deliverer copied and tagged, per registry and repository, and
 * reads it back as a real registry would: a copied digest resolves in the target only, a tag resolves to the digest
 * it was last pointed at, and anything never written resolves to nothing.
 */
class DryRunRegistryTest {

    private static final String DIGEST = "sha256:" + "a".repeat(64);
    private static final String OTHER = "sha256:" + "b".repeat(64);
    private static final ImageRef STAGED = new ImageRef("staging.example.org", "staging/app");
    private static final ImageRef RELEASE = new ImageRef("release.example.org", "app");

    private final DryRunRegistry registry = new DryRunRegistry();

    @Test
    void aCopiedDigestResolvesInTheTargetWithoutTransferringAnything() {
        Promotion promotion = registry.copy(STAGED, DIGEST, RELEASE);

        assertThat(promotion).isEqualTo(new Promotion(0, 0, 0, 0));
        assertThat(registry.digestOf(RELEASE, DIGEST)).contains(DIGEST);
        assertThat(registry.digestOf(STAGED, DIGEST)).as("the source was never written").isEmpty();
        assertThat(registry.digestOf(new ImageRef("mirror.example.org", "app"), DIGEST)).isEmpty();
    }

    @Test
    void aTagResolvesToTheDigestItWasLastPointedAtInItsOwnRepository() {
        registry.copy(STAGED, DIGEST, RELEASE);
        registry.tag(RELEASE, DIGEST, List.of("0123abc", "main", "latest"));

        assertThat(registry.digestOf(RELEASE, "main")).contains(DIGEST);
        assertThat(registry.digestOf(RELEASE, "latest")).contains(DIGEST);
        assertThat(registry.digestOf(new ImageRef("release.example.org", "other"), "main")).isEmpty();

        registry.tag(RELEASE, OTHER, List.of("main"));

        assertThat(registry.digestOf(RELEASE, "main")).contains(OTHER);
        assertThat(registry.digestOf(RELEASE, "0123abc")).contains(DIGEST);
    }

    @Test
    void aReferenceNeverWrittenResolvesToNothing() {
        assertThat(registry.digestOf(RELEASE, "latest")).isEmpty();
        assertThat(registry.digestOf(RELEASE, DIGEST)).isEmpty();

        registry.tag(RELEASE, DIGEST, List.of());

        assertThat(registry.digestOf(RELEASE, DIGEST)).as("tagging with no tags writes nothing").isEmpty();
    }
}
