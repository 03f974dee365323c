package io.slipway.builder.adapter.registry;

import io.slipway.builder.domain.InfrastructureUnavailable;
import io.slipway.builder.domain.Reason;
import io.slipway.builder.domain.StageFailure;
import io.slipway.builder.domain.StagingRegistry;
import io.slipway.container.oci.Descriptor;
import io.slipway.container.oci.OciRegistryClient;
import io.slipway.container.oci.OciRegistryException;
import io.slipway.container.oci.RegistryUnavailableException;

import java.util.Optional;

/**
 * The staging registry through the OCI distribution API: an image is staged when {@code HEAD} of its manifest
 * answers 200, and its digest is the registry's {@code Docker-Content-Digest}. Refused credentials and other
 * refusals fail the stage (PUSH_FAILED); an unavailable registry is infrastructure, retried.
 */
public final class RegistryStaging implements StagingRegistry {

    private final OciRegistryClient client;
    private final String prefix;

    public RegistryStaging(OciRegistryClient client, String prefix) {
        this.client = client;
        this.prefix = prefix;
    }

    @Override
    public String host() {
        return client.host();
    }

    @Override
    public String prefix() {
        return prefix;
    }

    @Override
    public Optional<String> stagedDigest(String repository, String tag) {
        try {
            return client.headManifest(repository, tag).map(Descriptor::digest);
        } catch (OciRegistryException e) {
            if (e.kind() == OciRegistryException.Kind.UNAUTHORIZED) {
                throw new StageFailure(Reason.PUSH_FAILED, "The staging registry " + host() + " refused the configured "
                        + "credentials, so nothing was built: " + e.getMessage(), true);
            }
            throw new StageFailure(Reason.PUSH_FAILED, "The staging registry " + host() + " answered unexpectedly: "
                    + e.getMessage(), true);
        } catch (RegistryUnavailableException e) {
            throw new InfrastructureUnavailable(Reason.INFRASTRUCTURE, "The staging registry " + host()
                    + " is unavailable: " + e.getMessage(), e);
        }
    }
}
