package io.slipway.deliverer.config;

import io.micronaut.context.annotation.Factory;
import io.slipway.container.oci.RegistryEndpoint;
import io.slipway.deliverer.adapter.registry.RegistryClients;
import io.slipway.deliverer.adapter.registry.RegistryPromoter;
import io.slipway.deliverer.domain.DeliveryLedger;
import io.slipway.deliverer.domain.DeliveryService;
import io.slipway.deliverer.domain.ReleaseTargets;
import io.slipway.deliverer.domain.TagRules;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;

/** Builds the deliverer's plain domain objects and registry adapter from configuration. */
@Factory
public class DelivererFactory {

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Singleton
    RegistryClients registryClients(DelivererProperties properties, List<RegistryProperties> registries) {
        List<RegistryEndpoint> endpoints = registries.stream().filter(RegistryProperties::isComplete)
                .sorted(Comparator.comparing(RegistryProperties::index))
                .map(r -> new RegistryEndpoint(r.host().strip(), r.insecure() || RegistryClients.isLoopback(r.host()),
                        blankToNull(r.username()), blankToNull(r.password())))
                .toList();
        return new RegistryClients(endpoints, properties.requestTimeout(), properties.transferTimeout());
    }

    @Singleton
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

    @Singleton
    DeliveryService deliveryService(DelivererProperties properties, ReleaseTargets targets, RegistryClients clients,
                                    DeliveryLedger ledger) {
        return new DeliveryService(targets, new TagRules(properties.defaultBranch()), new RegistryPromoter(clients),
                ledger);
    }

    private static List<String> nonBlank(List<String> values) {
        return values == null ? List.of() : values.stream().filter(v -> v != null && !v.isBlank()).map(String::strip).toList();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
