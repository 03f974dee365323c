package io.slipway.deliverer.adapter.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.common.kafka.TransientFailure;
import io.slipway.common.policy.ImageOwnership;
import io.slipway.deliverer.domain.Delivery;
import io.slipway.deliverer.domain.InMemoryLedger;
import io.slipway.deliverer.domain.DeliveryService;
import io.slipway.deliverer.domain.ImageRef;
import io.slipway.deliverer.domain.ImageRegistry;
import io.slipway.deliverer.domain.Outcome;
import io.slipway.deliverer.domain.PromotionFailed.Reason;
import io.slipway.deliverer.domain.ReleaseTargets;
import io.slipway.deliverer.domain.TagRules;
import io.slipway.openstack.OpenStackApiDouble;
import io.slipway.openstack.OpenStackCloud;
import io.slipway.openstack.OpenStackGlancePromoter;
import io.slipway.openstack.OpenStackSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Delivering VM images: {@link DeliveryService} with {@link GlanceVmImages} on the OpenStack API double. */
class VmDeliveryTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final String SHA = "3f2c1a9b0c1d4e5f60718293a4b5c6d7e8f90123";
    private static final String NEWER_SHA = "4a2c1a9b0c1d4e5f60718293a4b5c6d7e8f90123";

    private OpenStackApiDouble api;
    private final InMemoryLedger ledger = new InMemoryLedger();
    private final List<String> registryCalls = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        api = new OpenStackApiDouble();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private DeliveryService service(String visibility) {
        GlanceVmImages vmImages = new GlanceVmImages(new OpenStackGlancePromoter(
                new OpenStackCloud(OpenStackSettings.fromEnvironment(api.environment()))), visibility);
        return new DeliveryService(new ReleaseTargets("staging/",
                new ReleaseTargets.Rule("**", "release:5000", null, null, List.of()), List.of()),
                new TagRules("main"), ImageOwnership.ownNamesOnly(), new NoRegistry(), ledger, vmImages);
    }

    private String built(String runId, String sha) {
        Map<String, String> properties = new HashMap<>(Map.of("io.slipway.run-id", runId,
                "io.slipway.repository", "acme/web", "org.opencontainers.image.revision", sha,
                "io.slipway.managed", "builder", "io.slipway.state", "built"));
        return api.seedImage("acme-web-" + sha.substring(0, 12), "active", properties, List.of("slipway", sha),
                "private");
    }

    private Delivery delivery(String runId, String imageId, String sha, String ref, int minutes) {
        Instant at = T0.plusSeconds(60L * minutes);
        return new Delivery(runId, 1, "acme/web", sha, ref, at, at.plusSeconds(5), 1 + minutes,
                new ImageRef(api.url() + "/image", "acme-web-" + sha.substring(0, 12)), imageId, false);
    }

    private static Outcome deliver(DeliveryService service, Delivery delivery) {
        Outcome outcome = service.deliver(delivery);
        service.recordOutcome(delivery, outcome);
        return outcome;
    }

    private static List<String> tags(JsonNode image) {
        return StreamSupport.stream(image.path("tags").spliterator(), false).map(JsonNode::asText).toList();
    }

    private long writes() {
        return api.count("PATCH", "/image/") + api.count("PUT", "/image/") + api.count("DELETE", "/image/");
    }

    @Test
    void aVmImageIsPromotedInGlanceWithTheRunsTagsAndTheConfiguredVisibility() {
        String image = built("run-1", SHA);

        Outcome outcome = deliver(service("community"), delivery("run-1", image, SHA, "refs/heads/main", 0));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Published.class, published -> {
            assertThat(published.vm()).isTrue();
            assertThat(published.digest()).isEqualTo(image);
            assertThat(published.tags()).containsExactlyInAnyOrder("slipway", SHA, "main", "latest");
            assertThat(published.publications()).singleElement().satisfies(p -> {
                assertThat(p.target().registry()).isEqualTo(api.url() + "/image");
                assertThat(p.target().repository()).isEqualTo("acme-web-3f2c1a9b0c1d");
            });
        });
        JsonNode stored = api.image(image);
        assertThat(stored.path("visibility").asText()).isEqualTo("community");
        assertThat(stored.path("io.slipway.channel").asText()).isEqualTo("release");
        assertThat(tags(stored)).contains("main", "latest", SHA);
        assertThat(registryCalls).isEmpty();
        assertThat(ledger.runs).containsKey("run-1/1");
    }

    @Test
    void aRequestsVmImageIsNotPromotedInGlanceWhileAPushsIs() {
        DeliveryService service = service("community");
        String requestImage = built("run-pr", SHA);
        Delivery head = delivery("run-pr", requestImage, SHA, "refs/pull/12/head", 0);
        Delivery request = new Delivery(head.runId(), head.attempt(), head.repository(), head.sha(), head.ref(),
                head.committedAt(), head.triggeredAt(), head.sequence(), head.staged(), head.digest(), false,
                "#12 → main");
        String pushImage = built("run-1", NEWER_SHA);

        Outcome outcome = deliver(service, request);
        long writes = writes();
        deliver(service, delivery("run-1", pushImage, NEWER_SHA, "refs/heads/main", 1));

        assertThat(outcome).isEqualTo(new Outcome.NotReleased("#12 → main"));
        assertThat(writes).isZero();
        JsonNode untouched = api.image(requestImage);
        assertThat(untouched.path("visibility").asText()).isEqualTo("private");
        assertThat(untouched.path("io.slipway.channel").isMissingNode()).isTrue();
        assertThat(tags(untouched)).doesNotContain("main", "latest");
        assertThat(api.image(pushImage).path("io.slipway.channel").asText()).isEqualTo("release");
        assertThat(writes()).isPositive();
    }

    @Test
    void withoutAConfiguredVisibilityTheImageStaysPrivate() {
        String image = built("run-1", SHA);

        deliver(service(null), delivery("run-1", image, SHA, "refs/tags/v1.4.0", 0));

        JsonNode stored = api.image(image);
        assertThat(stored.path("visibility").asText()).isEqualTo("private");
        assertThat(tags(stored)).contains("1.4.0", "1.4", "1");
    }

    @Test
    void aRedeliveredTestsPassedWritesNothing() {
        DeliveryService service = service("shared");
        String image = built("run-1", SHA);
        Delivery delivery = delivery("run-1", image, SHA, "refs/heads/main", 0);
        deliver(service, delivery);
        long writes = writes();
        long requests = api.count("GET", "/image/");

        Outcome again = deliver(service, delivery);

        assertThat(again).isInstanceOf(Outcome.AlreadyDelivered.class);
        assertThat(writes()).isEqualTo(writes);
        assertThat(api.count("GET", "/image/")).isEqualTo(requests);
    }

    @Test
    void aNewAttemptOfAPromotedImageWritesNothingInGlance() {
        DeliveryService service = service("shared");
        String image = built("run-1", SHA);
        deliver(service, delivery("run-1", image, SHA, "refs/heads/main", 0));
        long writes = writes();

        Delivery rerun = new Delivery("run-1", 2, "acme/web", SHA, "refs/heads/main", T0, T0.plusSeconds(5), 1,
                new ImageRef(api.url() + "/image", "acme-web-3f2c1a9b0c1d"), image, false);
        Outcome outcome = deliver(service, rerun);

        assertThat(outcome).isInstanceOf(Outcome.Published.class);
        assertThat(writes()).isEqualTo(writes);
    }

    @Test
    void aLateRunDoesNotTakeTheBranchTagsBack() {
        DeliveryService service = service(null);
        String older = built("run-old", SHA);
        String newer = built("run-new", NEWER_SHA);

        deliver(service, delivery("run-new", newer, NEWER_SHA, "refs/heads/main", 5));
        Outcome late = deliver(service, delivery("run-old", older, SHA, "refs/heads/main", 0));

        assertThat(tags(api.image(newer))).contains("main", "latest");
        assertThat(tags(api.image(older))).doesNotContain("main", "latest");
        assertThat(((Outcome.Published) late).tags()).containsExactlyInAnyOrder("slipway", SHA);
    }

    @Test
    void aPolicyRefusalFromGlanceIsABuildFailure() {
        String image = built("run-1", SHA);
        api.failNext("PATCH", "^/image/v2/images/", 1, 403, "glance/forbidden-publicize-403.html");

        Outcome outcome = deliver(service("public"), delivery("run-1", image, SHA, "refs/heads/main", 0));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(Reason.CONFIG_INVALID);
            assertThat(failed.reason().retryable()).isFalse();
            assertThat(failed.message()).contains("HTTP 403");
        });
        assertThat(ledger.tags).isEmpty();
        assertThat(ledger.runs.get("run-1/1").outcome()).isEqualTo("CONFIG_INVALID");
    }

    @Test
    void anImageOfAnotherRunIsRefused() {
        String image = built("run-0", SHA);

        Outcome outcome = deliver(service(null), delivery("run-1", image, SHA, "refs/heads/main", 0));

        assertThat(outcome).extracting(o -> ((Outcome.Failed) o).reason()).isEqualTo(Reason.IMAGE_MISMATCH);
        assertThat(writes()).isZero();
    }

    @Test
    void anUnavailableImageServiceIsATransientFailure() {
        String image = built("run-1", SHA);
        Map<String, String> environment = new HashMap<>(api.environment());
        environment.put("SLIPWAY_OPENSTACK_API_ATTEMPTS", "1");
        DeliveryService service = new DeliveryService(new ReleaseTargets("staging/",
                new ReleaseTargets.Rule("**", "release:5000", null, null, List.of()), List.of()),
                new TagRules("main"), ImageOwnership.ownNamesOnly(), new NoRegistry(), ledger, new GlanceVmImages(new OpenStackGlancePromoter(
                new OpenStackCloud(OpenStackSettings.fromEnvironment(environment))), null));
        api.failNext("GET", "^/image/v2/images/", 1, 503, "common/service-unavailable.html");

        assertThatThrownBy(() -> service.deliver(delivery("run-1", image, SHA, "refs/heads/main", 0)))
                .isInstanceOf(TransientFailure.class);
        assertThat(ledger.runs).isEmpty();
        assertThat(ledger.tags).isEmpty();
    }

    @Test
    void withoutOpenStackAVmImageIsAConfigurationFailure() {
        DeliveryService service = new DeliveryService(new ReleaseTargets("staging/",
                new ReleaseTargets.Rule("**", "release:5000", null, null, List.of()), List.of()),
                new TagRules("main"), ImageOwnership.ownNamesOnly(), new NoRegistry(), ledger);

        Outcome outcome = service.deliver(delivery("run-1", "0b9d-image-id", SHA, "refs/heads/main", 0));

        assertThat(outcome).isEqualTo(new Outcome.Failed(Reason.CONFIG_INVALID,
                "OpenStack is not configured on this deliverer", null));
    }

    @Test
    void anUnknownVisibilityIsRefusedAtStartUp() {
        assertThatThrownBy(() -> new GlanceVmImages(promotion -> null, "everyone"))
                .hasMessageContaining("SLIPWAY_OPENSTACK_RELEASE_VISIBILITY");
    }

    /** VM deliveries must not touch an OCI registry. */
    private final class NoRegistry implements ImageRegistry {
        @Override
        public Promotion copy(ImageRef source, String digest, ImageRef target) {
            registryCalls.add("copy");
            throw new AssertionError("copy");
        }

        @Override
        public void tag(ImageRef target, String digest, List<String> tags) {
            registryCalls.add("tag");
            throw new AssertionError("tag");
        }

        @Override
        public Optional<String> digestOf(ImageRef image, String reference) {
            registryCalls.add("digestOf");
            throw new AssertionError("digestOf");
        }
    }
}
