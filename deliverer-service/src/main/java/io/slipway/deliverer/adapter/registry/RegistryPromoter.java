package io.slipway.deliverer.adapter.registry;

import io.slipway.common.kafka.TransientFailure;
import io.slipway.container.oci.ImageCopier;
import io.slipway.container.oci.Manifest;
import io.slipway.container.oci.OciRegistryClient;
import io.slipway.container.oci.OciRegistryException;
import io.slipway.container.oci.RegistryUnavailableException;
import io.slipway.deliverer.domain.ImageRef;
import io.slipway.deliverer.domain.ImageRegistry;
import io.slipway.deliverer.domain.PromotionFailed;
import io.slipway.deliverer.domain.PromotionFailed.Reason;

import java.util.List;
import java.util.Optional;

/**
 * The deliverer's {@link ImageRegistry} on real registries through the OCI distribution API: copies with
 * {@link ImageCopier}, tags by putting the stored manifest's exact bytes under each tag, and turns registry refusals
 * into reason codes (credentials refused → REGISTRY_AUTH, tested manifest or blob not found → ARTIFACT_MISSING).
 * An unavailable registry becomes a {@link TransientFailure}, so the record is retried with backoff.
 */
public final class RegistryPromoter implements ImageRegistry {

    private final RegistryClients clients;
    private final ImageCopier copier = new ImageCopier();

    public RegistryPromoter(RegistryClients clients) {
        this.clients = clients;
    }

    @Override
    public Promotion copy(ImageRef source, String digest, ImageRef target) {
        try {
            ImageCopier.CopyReport report = copier.copy(clients.forHost(source.registry()), source.repository(), digest,
                    clients.forHost(target.registry()), target.repository()).report();
            return new Promotion(report.blobsPresent(), report.blobsMounted(), report.blobsUploaded(),
                    report.bytesUploaded());
        } catch (OciRegistryException e) {
            throw refused(e, "copying " + source + "@" + digest + " to " + target);
        } catch (RegistryUnavailableException e) {
            throw unavailable(e);
        }
    }

    @Override
    public void tag(ImageRef target, String digest, List<String> tags) {
        OciRegistryClient client = clients.forHost(target.registry());
        try {
            Manifest manifest = tags.isEmpty() ? null : client.getManifest(target.repository(), digest);
            for (String tag : tags) {
                client.putManifest(target.repository(), tag, manifest);
            }
        } catch (OciRegistryException e) {
            throw refused(e, "tagging " + target + "@" + digest + " as " + tags);
        } catch (RegistryUnavailableException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Optional<String> digestOf(ImageRef image, String reference) {
        try {
            return Optional.of(clients.forHost(image.registry()).getManifest(image.repository(), reference).digest());
        } catch (OciRegistryException e) {
            if (e.kind() == OciRegistryException.Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw refused(e, "reading back " + image + ":" + reference);
        } catch (RegistryUnavailableException e) {
            throw unavailable(e);
        }
    }

    private static TransientFailure unavailable(RegistryUnavailableException e) {
        return new TransientFailure(e.getMessage(), e);
    }

    private static PromotionFailed refused(OciRegistryException e, String during) {
        Reason reason = switch (e.kind()) {
            case UNAUTHORIZED -> Reason.REGISTRY_AUTH;
            case NOT_FOUND -> "GET".equals(e.method()) || "HEAD".equals(e.method())
                    ? Reason.ARTIFACT_MISSING : Reason.REGISTRY_REJECTED;
            case DIGEST_MISMATCH -> Reason.DIGEST_MISMATCH;
            case REJECTED -> Reason.REGISTRY_REJECTED;
        };
        String what = switch (reason) {
            case REGISTRY_AUTH -> "A registry refused the deliverer's credentials";
            case ARTIFACT_MISSING -> "The tested image is not (or no longer) in the staging repository";
            case DIGEST_MISMATCH -> "A registry served content that does not match its digest";
            default -> "A registry refused a request";
        };
        return new PromotionFailed(reason, what + " while " + during + ".", e.getMessage());
    }
}
