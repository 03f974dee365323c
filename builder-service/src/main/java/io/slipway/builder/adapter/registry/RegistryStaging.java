package io.slipway.builder.adapter.registry;

import io.slipway.builder.domain.InfrastructureUnavailable;
import io.slipway.builder.domain.Reason;
import io.slipway.builder.domain.StageFailure;
import io.slipway.builder.domain.StagingRegistry;
import io.slipway.container.OciRegistryClient;
import io.slipway.container.RegistryException;

import java.util.Optional;

/**
 * The staging registry through the OCI distribution API: an image is staged when {@code HEAD} of its manifest
 * answers 200, and its digest is the registry's {@code Docker-Content-Digest}.
 */
public final class RegistryStaging implements StagingRegistry {

    private final OciRegistryClient client;
    private final String host;
    private final String prefix;

    public RegistryStaging(OciRegistryClient client, String host, String prefix) {
        this.client = client;
        this.host = host;
        this.prefix = prefix;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public String prefix() {
        return prefix;
    }

    @Override
    public Optional<String> stagedDigest(String repository, String tag) {
        try {
            return client.manifestDigest(repository, tag);
        } catch (RegistryException e) {
            if (e.isUnauthorized()) {
                throw new StageFailure(Reason.PUSH_FAILED, "The staging registry " + host + " refused the configured "
                        + "credentials, so nothing was built: " + e.getMessage(), true);
            }
            if (e.isTransient()) {
                throw new InfrastructureUnavailable(Reason.INFRASTRUCTURE, "The staging registry " + host
                        + " is unavailable: " + e.getMessage(), e);
            }
            throw new StageFailure(Reason.PUSH_FAILED, "The staging registry " + host + " answered unexpectedly: "
                    + e.getMessage(), true);
        }
    }
}
