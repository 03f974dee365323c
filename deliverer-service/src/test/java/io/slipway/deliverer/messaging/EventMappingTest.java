package io.slipway.deliverer.messaging;

import io.slipway.deliverer.domain.ImageRef;
import io.slipway.deliverer.domain.ImageRegistry;
import io.slipway.deliverer.domain.Outcome;
import io.slipway.events.ArtifactPublished;
import io.slipway.events.DeployIntent;
import io.slipway.events.SmokeCheck;
import io.slipway.events.TestsPassed;
import io.slipway.schemas.SampleEvents;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code ArtifactPublished} carries on from {@code TestsPassed} unchanged: the run and the deploy intent. */
class EventMappingTest {

    private static final DeployIntent INTENT = DeployIntent.newBuilder().setEnvironments(List.of("production"))
            .setSmoke(List.of(SmokeCheck.newBuilder().setPath("/").setStatus(200).setContains("Hello").build()))
            .build();
    private static final ImageRegistry.Promotion COPIED = new ImageRegistry.Promotion(0, 0, 1, 10);

    private static TestsPassed passed(DeployIntent deploy) {
        return TestsPassed.newBuilder(SampleEvents.testsPassed()).setDeploy(deploy).build();
    }

    @Test
    void everyPublicationCarriesTheDeployIntentOfTheTestedImageUnchanged() {
        Outcome.Published published = new Outcome.Published("sha256:" + "c".repeat(64), List.of("main"), List.of(
                new Outcome.Publication(new ImageRef("release.local", "org/app"), COPIED),
                new Outcome.Publication(new ImageRef("mirror.local", "org/app"), COPIED)));

        List<?> events = EventMapping.events(passed(INTENT), published, Instant.EPOCH);

        assertThat(events).hasSize(2).allSatisfy(event -> assertThat(((ArtifactPublished) event).getDeploy())
                .isEqualTo(INTENT));
    }

    @Test
    void aVmImageCarriesTheDeployIntentToo() {
        Outcome.Published published = new Outcome.Published("0f6e9c9e-image-id", List.of("main"), List.of(
                new Outcome.Publication(new ImageRef("http://glance.local/image", "acme-web"), null)), true);

        List<?> events = EventMapping.events(passed(INTENT), published, Instant.EPOCH);

        assertThat(events).singleElement().satisfies(event -> assertThat(((ArtifactPublished) event).getDeploy())
                .isEqualTo(INTENT));
    }

    @Test
    void anArtifactWithoutDeployIntentIsPublishedWithoutOne() {
        Outcome.Published published = new Outcome.Published("sha256:" + "c".repeat(64), List.of("main"), List.of(
                new Outcome.Publication(new ImageRef("release.local", "org/app"), COPIED)));

        List<?> events = EventMapping.events(passed(null), published, Instant.EPOCH);

        assertThat(events).singleElement().satisfies(event -> assertThat(((ArtifactPublished) event).getDeploy())
                .isNull());
    }
}
