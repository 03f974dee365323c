package io.slipway.container.oci;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.common.testing.LocalRegistry;
import io.slipway.common.testing.Skopeo;
import io.slipway.common.testing.TestImages;
import io.slipway.common.testing.TestImages.Pushed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The OCI client and the copier against two real registries (Debian's docker-registry) with htpasswd auth. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageCopierTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;
    private LocalRegistry staging;
    private LocalRegistry release;
    private OciRegistryClient stagingClient;
    private OciRegistryClient releaseClient;
    private final ImageCopier copier = new ImageCopier();

    @BeforeAll
    void start() {
        staging = LocalRegistry.start(dir.resolve("staging"), "stager", "staging-secret");
        release = LocalRegistry.start(dir.resolve("release"), "releaser", "release-secret");
        stagingClient = client(staging, staging.password());
        releaseClient = client(release, release.password());
    }

    @AfterAll
    void stop() {
        staging.close();
        release.close();
    }

    private static OciRegistryClient client(LocalRegistry registry, String password) {
        return new HttpOciRegistryClient(new RegistryEndpoint(registry.host(), true, registry.user(), password),
                TIMEOUT, TIMEOUT);
    }

    private static String name() {
        return "app-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private Pushed stagedImage(String name) {
        return TestImages.pushSmall(staging, "staging/" + name, "6dcb09b5b57875f334f61aebed695e2e4193db5e", "run-" + name);
    }

    private List<LocalRegistry.Request> uploadsSince(LocalRegistry registry, int mark) {
        List<LocalRegistry.Request> requests = registry.requests();
        return requests.subList(mark, requests.size()).stream()
                .filter(r -> r.uri().contains("/blobs/uploads/")).toList();
    }

    @Test
    void copiesAnImageAcrossRegistriesByteForByteWithItsLabels() {
        String name = name();
        Pushed image = stagedImage(name);

        ImageCopier.Copied copied = copier.copy(stagingClient, image.repository(), image.digest(), releaseClient, name);
        releaseClient.putManifest(name, "v1", copied.manifest());

        assertThat(copied.report().blobsUploaded()).isEqualTo(2);
        assertThat(copied.report().bytesUploaded()).isPositive();
        JsonNode inspected = Skopeo.inspect(release, name + ":v1");
        assertThat(inspected.get("Digest").asText()).isEqualTo(image.digest());
        assertThat(inspected.get("Labels").get("io.slipway.run-id").asText()).isEqualTo("run-" + name);
        assertThat(inspected.get("Labels").get("org.opencontainers.image.revision").asText())
                .isEqualTo("6dcb09b5b57875f334f61aebed695e2e4193db5e");
        assertThat(releaseClient.headManifest(name, "v1")).get().extracting(Descriptor::digest).isEqualTo(image.digest());
    }

    @Test
    void copyingAgainUploadsNoBlob() {
        String name = name();
        Pushed image = stagedImage(name);
        copier.copy(stagingClient, image.repository(), image.digest(), releaseClient, name);
        int mark = release.requests().size();

        ImageCopier.Copied again = copier.copy(stagingClient, image.repository(), image.digest(), releaseClient, name);

        assertThat(again.report()).isEqualTo(new ImageCopier.CopyReport(2, 0, 0, 0));
        assertThat(uploadsSince(release, mark)).isEmpty();
    }

    @Test
    void withinOneRegistryBlobsAreMountedFromTheSourceRepository() {
        String name = name();
        Pushed image = stagedImage(name);
        int mark = staging.requests().size();

        ImageCopier.Copied copied = copier.copy(stagingClient, image.repository(), image.digest(), stagingClient,
                "mirror/" + name);

        assertThat(copied.report()).isEqualTo(new ImageCopier.CopyReport(0, 2, 0, 0));
        assertThat(uploadsSince(staging, mark)).hasSize(2).allSatisfy(r -> {
            assertThat(r.uri()).contains("mount=").contains("from=staging");
            assertThat(r.status()).isEqualTo(201);
        });
        assertThat(stagingClient.headManifest("mirror/" + name, image.digest())).isPresent();
    }

    @Test
    void copiesAnIndexWithEveryPlatformManifest() {
        String name = name();
        Pushed amd64 = stagedImage(name);
        Pushed arm64 = stagedImage(name);
        Pushed index = TestImages.pushIndex(staging, "staging/" + name, "multi", List.of(amd64, arm64));

        ImageCopier.Copied copied = copier.copy(stagingClient, index.repository(), index.digest(), releaseClient, name);

        assertThat(copied.manifest().mediaType()).isEqualTo(Manifest.OCI_INDEX);
        assertThat(copied.report().blobsUploaded()).isEqualTo(4);
        assertThat(releaseClient.headManifest(name, index.digest())).isPresent();
        assertThat(releaseClient.headManifest(name, arm64.digest())).isPresent();
        assertThat(releaseClient.getManifest(name, index.digest()).bytes()).isEqualTo(index.manifest());
    }

    @Test
    void aDigestTheSourceDoesNotHaveIsNotFound() {
        String missing = "sha256:" + "0".repeat(64);

        assertThatThrownBy(() -> copier.copy(stagingClient, "staging/" + name(), missing, releaseClient, "x"))
                .isInstanceOfSatisfying(OciRegistryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(OciRegistryException.Kind.NOT_FOUND);
                    assertThat(e.method()).isEqualTo("GET");
                    assertThat(e.getMessage()).contains(staging.host(), missing, "404");
                });
        assertThat(stagingClient.headManifest("staging/" + name(), "latest")).isEmpty();
        assertThat(releaseClient.hasBlob("nothing-here", missing)).isFalse();
    }

    @Test
    void wrongCredentialsAreRefusedAndNeverAppearInTheError() {
        OciRegistryClient wrong = client(release, "not-the-password");

        assertThatThrownBy(() -> wrong.hasBlob("app", "sha256:" + "1".repeat(64)))
                .isInstanceOfSatisfying(OciRegistryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(OciRegistryException.Kind.UNAUTHORIZED);
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.getMessage()).doesNotContain("not-the-password");
                });
        assertThat(new RegistryEndpoint("h", true, "u", "not-the-password").toString()).doesNotContain("not-the-password");
    }

    @Test
    void aRegistryThatIsDownIsATransientFault() {
        LocalRegistry gone = LocalRegistry.start(dir.resolve("gone"), "u", "p");
        gone.stop();

        assertThatThrownBy(() -> client(gone, "p").getManifest("app", "latest"))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining(gone.host());
    }

    @Test
    void theLabelsOfTheCopiedConfigAreUntouched() {
        String name = name();
        Map<String, String> labels = TestImages.labels("a".repeat(40), "run-labels");
        Pushed image = TestImages.push(staging, "staging/" + name, "t", labels,
                List.of(TestImages.layer("etc/motd", "hello".getBytes())));

        copier.copy(stagingClient, image.repository(), image.digest(), releaseClient, name);

        try (var in = releaseClient.openBlob(name, image.blobs().get(0))) {
            assertThat(TestImages.digest(in.readAllBytes())).isEqualTo(image.blobs().get(0));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
