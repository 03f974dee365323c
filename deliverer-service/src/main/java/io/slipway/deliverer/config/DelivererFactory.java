package io.slipway.deliverer.config;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.slipway.common.config.ImageOwnerProperties;
import io.slipway.common.policy.ImageOwnership;
import io.slipway.container.oci.RegistryEndpoint;
import io.slipway.deliverer.adapter.dryrun.DryRunRegistry;
import io.slipway.deliverer.adapter.openstack.GlanceVmImages;
import io.slipway.deliverer.adapter.registry.RegistryClients;
import io.slipway.deliverer.adapter.registry.RegistryPromoter;
import io.slipway.deliverer.domain.DeliveryLedger;
import io.slipway.deliverer.domain.DeliveryService;
import io.slipway.deliverer.domain.ReleaseTargets;
import io.slipway.deliverer.domain.TagRules;
import io.slipway.deliverer.domain.VmImages;
import io.slipway.openstack.OpenStackCloud;
import io.slipway.openstack.OpenStackGlancePromoter;
import io.slipway.openstack.OpenStackSettings;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Builds the deliverer's plain domain objects and registry adapter from configuration. */
@Factory
public class DelivererFactory {

    private static final Logger LOG = LoggerFactory.getLogger(DelivererFactory.class);

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Singleton
    RegistryClients registryClients(DelivererProperties properties, List<RegistryProperties> registries) {
        return new RegistryClients(endpoints(registries), properties.requestTimeout(), properties.transferTimeout());
    }

    /**
     * The configured registries in order; plain HTTP when set {@code insecure} or when the calls go to a loopback
     * address (the configured address, else the host), as Docker's engine allows.
     */
    static List<RegistryEndpoint> endpoints(List<RegistryProperties> registries) {
        return registries.stream().filter(RegistryProperties::isComplete)
                .sorted(Comparator.comparing(RegistryProperties::index))
                .map(r -> {
                    String address = blankToNull(r.address());
                    String reachedAt = address == null ? r.host().strip() : address;
                    return new RegistryEndpoint(r.host().strip(), address,
                            r.insecure() || RegistryClients.isLoopback(reachedAt),
                            blankToNull(r.username()), blankToNull(r.password()));
                })
                .toList();
    }

    /** Built at start-up, so a malformed rule pattern stops the service before it consumes anything. */
    @Context
    ReleaseTargets releaseTargets(DelivererProperties properties, List<RepositoryProperties> repositories) {
        ReleaseTargets.Rule defaults = new ReleaseTargets.Rule("**", properties.releaseRegistry(),
                null, blankToNull(properties.releasePrefix()), nonBlank(properties.mirrors()));
        return new ReleaseTargets(properties.stagingPrefix(), defaults, repositories.stream()
                .filter(RepositoryProperties::isComplete)
                .sorted(Comparator.comparing(RepositoryProperties::index))
                .map(r -> new ReleaseTargets.Rule(r.pattern(), blankToNull(r.registry()), blankToNull(r.repository()),
                        r.prefix(), r.mirrors() == null ? null : nonBlank(r.mirrors())))
                .toList());
    }

    /** Built at start-up, so a malformed owner rule stops the service before it consumes anything. */
    @Context
    ImageOwnership imageOwnership(List<ImageOwnerProperties> owners) {
        return ImageOwnerProperties.ownership(owners);
    }

    @Singleton
    @Requires(property = "slipway.dry-run", notEquals = "true")
    DeliveryService deliveryService(DelivererProperties properties, ReleaseTargets targets, ImageOwnership ownership,
                                    RegistryClients clients, DeliveryLedger ledger) {
        return new DeliveryService(targets, new TagRules(properties.defaultBranch()), ownership,
                new RegistryPromoter(clients), ledger, vmImages(System.getenv()));
    }

    /** The dry-run backend: tag rules, precedence and the ledger run for real, the registry is in memory. */
    @Singleton
    @Requires(property = "slipway.dry-run", value = "true")
    DeliveryService dryRunDeliveryService(DelivererProperties properties, ReleaseTargets targets,
                                          ImageOwnership ownership, DeliveryLedger ledger) {
        LOG.warn("DRY RUN: nothing is copied or tagged in any registry; ArtifactPublished names images that do not exist");
        return new DeliveryService(targets, new TagRules(properties.defaultBranch()), ownership, new DryRunRegistry(),
                ledger, null);
    }

    /**
     * Glance promotion of VM images when {@code OS_AUTH_URL} is set (settings as the {@code openstack} module reads
     * them; incomplete ones stop the start-up), else null: VM images then fail with {@code CONFIG_INVALID}.
     */
    static VmImages vmImages(Map<String, String> environment) {
        String authUrl = environment.get("OS_AUTH_URL");
        if (authUrl == null || authUrl.isBlank()) {
            LOG.info("OS_AUTH_URL is not set: VM images will fail delivery with CONFIG_INVALID");
            return null;
        }
        String visibility = blankToNull(environment.get("SLIPWAY_OPENSTACK_RELEASE_VISIBILITY"));
        OpenStackSettings settings = OpenStackSettings.fromEnvironment(environment);
        LOG.info("VM images are promoted in Glance ({}), release visibility {}", settings.identityUrl(),
                visibility == null ? "unchanged" : visibility);
        return new GlanceVmImages(new OpenStackGlancePromoter(new OpenStackCloud(settings)), visibility);
    }

    private static List<String> nonBlank(List<String> values) {
        return values == null ? List.of() : values.stream().filter(v -> v != null && !v.isBlank()).map(String::strip).toList();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
