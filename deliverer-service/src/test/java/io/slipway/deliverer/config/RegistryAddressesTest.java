package io.slipway.deliverer.config;

import io.slipway.common.testing.LocalRegistry;
import io.slipway.common.testing.Skopeo;
import io.slipway.common.testing.TestImages;
import io.slipway.container.oci.RegistryEndpoint;
import io.slipway.deliverer.adapter.registry.RegistryClients;
import io.slipway.deliverer.adapter.registry.RegistryPromoter;
import io.slipway.deliverer.domain.ImageRef;
import io.slipway.deliverer.domain.PromotionFailed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Registries configured with an address (the deliverer in a container reaching what image references call
 * {@code registry.test:5000}): copies go to the address on a real registry, plain HTTP follows the address, and an
 * event can name neither the address nor another host to get the configured credentials.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryAddressesTest {

    private static final String HOST = "registry.test:5000";

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

    private RegistryPromoter promoter() {
        List<RegistryEndpoint> endpoints = DelivererFactory.endpoints(List.of(
                new RegistryProperties(0, HOST, registry.host(), registry.user(), registry.password(), false)));
        return new RegistryPromoter(new RegistryClients(endpoints, Duration.ofSeconds(10), Duration.ofSeconds(10)));
    }

    @Test
    void copiesThroughTheAddressWhileImageReferencesNameTheHost() {
        TestImages.Pushed image = TestImages.pushSmall(registry, "staging/addressed", "a".repeat(40), "run-1");
        RegistryPromoter promoter = promoter();
        ImageRef release = new ImageRef(HOST, "addressed");

        promoter.copy(new ImageRef(HOST, "staging/addressed"), image.digest(), release);
        promoter.tag(release, image.digest(), List.of("main"));

        assertThat(promoter.digestOf(release, "main")).contains(image.digest());
        assertThat(Skopeo.tags(registry, "addressed")).containsExactlyInAnyOrder("main");
    }

    @Test
    void anEventNamingTheAddressGetsNoCredentials() {
        TestImages.Pushed image = TestImages.pushSmall(registry, "staging/direct", "b".repeat(40), "run-2");
        RegistryPromoter promoter = promoter();

        assertThatThrownBy(() -> promoter.copy(new ImageRef(registry.host(), "staging/direct"), image.digest(),
                new ImageRef(registry.host(), "direct")))
                .isInstanceOfSatisfying(PromotionFailed.class,
                        e -> assertThat(e.reason()).isEqualTo(PromotionFailed.Reason.REGISTRY_AUTH));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(registry.requests())
                .as("the reads were anonymous and refused (the access log is written after the answer)")
                .filteredOn(r -> r.uri().startsWith("/v2/staging/direct/") && !r.method().equals("POST")
                        && !r.method().equals("PUT") && !r.method().equals("PATCH"))
                .isNotEmpty().allSatisfy(r -> assertThat(r.status()).isEqualTo(401)));
        assertThat(registry.requests()).as("nothing reached the release repository")
                .noneSatisfy(r -> assertThat(r.uri()).startsWith("/v2/direct/"));
    }

    @Test
    void plainHttpFollowsTheAddressAndAnExplicitInsecureStillWins() {
        List<RegistryEndpoint> endpoints = DelivererFactory.endpoints(List.of(
                new RegistryProperties(0, "127.0.0.1:5101", "registry-staging:5000", "u", "p", false),
                new RegistryProperties(1, "127.0.0.1:5102", "registry-release:5000", "u", "p", true),
                new RegistryProperties(2, "registry.example:5000", "127.0.0.1:5103", "u", "p", false),
                new RegistryProperties(3, "127.0.0.1:5104", " ", "u", "p", false)));

        assertThat(endpoints).extracting(RegistryEndpoint::baseUri).extracting(Object::toString).containsExactly(
                "https://registry-staging:5000/", "http://registry-release:5000/", "http://127.0.0.1:5103/",
                "http://127.0.0.1:5104/");
        assertThat(endpoints).extracting(RegistryEndpoint::host).containsExactly("127.0.0.1:5101", "127.0.0.1:5102",
                "registry.example:5000", "127.0.0.1:5104");
    }
}
