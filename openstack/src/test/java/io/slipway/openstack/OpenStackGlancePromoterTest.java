package io.slipway.openstack;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class OpenStackGlancePromoterTest {

    private static final String SHA = "3f2c1a9b0c1d4e5f60718293a4b5c6d7e8f90123";
    private static final List<String> TAGS = List.of("sha-3f2c1a9", "main", "latest");

    private OpenStackApiDouble api;
    private OpenStackGlancePromoter promoter;

    @BeforeEach
    void start() throws IOException {
        api = new OpenStackApiDouble();
        FakeTime time = new FakeTime();
        promoter = new OpenStackGlancePromoter(
                new OpenStackCloud(OpenStackSettings.fromEnvironment(api.environment()), time, time));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void promotesWithReleaseTagsPropertiesAndVisibility() {
        String image = built("run-1", "acme/web", List.of("slipway", SHA));

        PublishedVmImage published = promoter.promote(new VmPromotion("run-1", image, TAGS, "community",
                Map.of("io.slipway.release.version", "1.4.0")));

        ObjectNode stored = api.image(image);
        assertThat(stored.path("visibility").asText()).isEqualTo("community");
        assertThat(stored.path(SlipwayMetadata.CHANNEL).asText()).isEqualTo(SlipwayMetadata.RELEASE);
        assertThat(stored.path("io.slipway.release.version").asText()).isEqualTo("1.4.0");
        assertThat(stored.path(SlipwayMetadata.REVISION).asText()).isEqualTo(SHA);
        assertThat(published.imageId()).isEqualTo(image);
        assertThat(published.name()).isEqualTo("acme-web-3f2c1a9b0c1d");
        assertThat(published.tags()).containsExactlyInAnyOrder("slipway", SHA, "sha-3f2c1a9", "main", "latest");
        assertThat(published.visibility()).isEqualTo("community");
        assertThat(published.contentHash()).startsWith("sha512:073b4523");
        assertThat(published.imageServiceUrl()).isEqualTo(api.url() + "/image");
    }

    @Test
    void promotingTheSameImageAgainChangesNothing() {
        String image = built("run-1", "acme/web", List.of("slipway"));
        VmPromotion promotion = new VmPromotion("run-1", image, TAGS, "shared", Map.of());
        PublishedVmImage first = promoter.promote(promotion);
        long writes = writes();

        PublishedVmImage second = promoter.promote(promotion);

        assertThat(writes()).isEqualTo(writes);
        assertThat(second).isEqualTo(first);
    }

    @Test
    void movesAReleaseTagFromTheRepositorysPreviousImageOnly() {
        String previous = built("run-0", "acme/web", List.of("slipway", "latest", "main", "v1.3.0"));
        String otherRepository = built("run-9", "acme/api", List.of("slipway", "latest"));
        String image = built("run-1", "acme/web", List.of("slipway"));

        promoter.promote(new VmPromotion("run-1", image, TAGS, null, Map.of()));

        assertThat(api.image(previous).path("tags").toString()).doesNotContain("latest", "\"main\"").contains("v1.3.0");
        assertThat(api.image(otherRepository).path("tags").toString()).contains("latest");
        assertThat(api.image(image).path("visibility").asText()).isEqualTo("private");
    }

    @Test
    void refusesAnImageBuiltByAnotherRun() {
        String image = built("run-0", "acme/web", List.of("slipway"));

        VmImageException failure = catchThrowableOfType(VmImageException.class,
                () -> promoter.promote(new VmPromotion("run-1", image, TAGS, null, Map.of())));

        assertThat(failure.reason()).isEqualTo(VmFailureReason.IMAGE_MISMATCH);
        assertThat(writes()).isZero();
    }

    @Test
    void reportsImageNotFoundForAnImageGlanceDoesNotKnow() {
        VmImageException failure = catchThrowableOfType(VmImageException.class, () -> promoter.promote(
                new VmPromotion("run-1", "0b0b0b0b-0000-4000-8000-000000000000", TAGS, null, Map.of())));

        assertThat(failure.reason()).isEqualTo(VmFailureReason.IMAGE_NOT_FOUND);
    }

    @Test
    void reportsConfigInvalidWhenThePolicyForbidsPublicImages() {
        String image = built("run-1", "acme/web", List.of("slipway"));
        api.failNext("PATCH", "^/image/v2/images/", 1, 403, "glance/forbidden-publicize-403.html");

        VmImageException failure = catchThrowableOfType(VmImageException.class,
                () -> promoter.promote(new VmPromotion("run-1", image, TAGS, "public", Map.of())));

        assertThat(failure.reason()).isEqualTo(VmFailureReason.CONFIG_INVALID);
        assertThat(failure.getMessage()).contains("HTTP 403");
    }

    private String built(String runId, String repository, List<String> tags) {
        Map<String, String> properties = new HashMap<>(Map.of(SlipwayMetadata.RUN_ID, runId,
                SlipwayMetadata.REPOSITORY, repository, SlipwayMetadata.REVISION, SHA,
                SlipwayMetadata.MANAGED, SlipwayMetadata.BUILDER, SlipwayMetadata.STATE, SlipwayMetadata.BUILT));
        return api.seedImage(repository.replace('/', '-') + "-3f2c1a9b0c1d", "active", properties, tags, "private");
    }

    private long writes() {
        return api.count("PATCH", "/image/") + api.count("PUT", "/image/") + api.count("DELETE", "/image/");
    }
}
