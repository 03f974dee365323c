package io.slipway.deliverer.domain;

import io.slipway.common.policy.ImageOwnership;
import io.slipway.deliverer.domain.DeliveryLedger.Delivered;
import io.slipway.deliverer.domain.DeliveryLedger.TagHolder;
import io.slipway.deliverer.domain.PromotionFailed.Reason;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Delivers a tested container image: refuses it unless its image name is its repository's to publish
 * ({@link ImageOwnership}, checked again here although the builder checked it), copies the tested digest from
 * staging to every release target (primary, then mirrors) before any tag moves, then moves the tags the run may hold, reads each one back and fails unless it
 * names the tested digest. A tag moves only to a run whose {@link Precedence} is not lower than its holder's; a
 * run attempt that already has an outcome is not delivered again. A tested VM image is promoted in place in its
 * image service ({@link VmImages}) with the same tag rules, the tags held per source repository. A run of a pull or
 * merge request is never released, whatever its artifact: it touches no registry, image service or tag.
 */
public final class DeliveryService {

    private static final Pattern DIGEST = Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+");

    private final ReleaseTargets targets;
    private final TagRules rules;
    private final ImageOwnership ownership;
    private final ImageRegistry registry;
    private final DeliveryLedger ledger;
    private final VmImages vmImages;

    /** A deliverer of container images only: a VM image fails with {@code CONFIG_INVALID}. */
    public DeliveryService(ReleaseTargets targets, TagRules rules, ImageOwnership ownership, ImageRegistry registry,
                           DeliveryLedger ledger) {
        this(targets, rules, ownership, registry, ledger, null);
    }

    /** {@code vmImages} null: OpenStack is not configured, a VM image fails with {@code CONFIG_INVALID}. */
    public DeliveryService(ReleaseTargets targets, TagRules rules, ImageOwnership ownership, ImageRegistry registry,
                           DeliveryLedger ledger, VmImages vmImages) {
        this.targets = targets;
        this.rules = rules;
        this.ownership = ownership;
        this.registry = registry;
        this.ledger = ledger;
        this.vmImages = vmImages;
    }

    /**
     * Delivers the artifact unless the run tests a request or this run attempt already has an outcome; transient
     * registry faults propagate.
     */
    public Outcome deliver(Delivery delivery) {
        if (delivery.ofRequest()) {
            return new Outcome.NotReleased(delivery.request() != null ? delivery.request() : delivery.ref());
        }
        Optional<Delivered> earlier = ledger.delivered(delivery.runId(), delivery.attempt());
        if (earlier.isPresent()) {
            return new Outcome.AlreadyDelivered(earlier.get());
        }
        try {
            return publish(delivery);
        } catch (PromotionFailed e) {
            return new Outcome.Failed(e.reason(), e.getMessage(), e.detail());
        }
    }

    /** Remembers the outcome of a delivery; called once its events are published, so a redelivery repeats none. */
    public void recordOutcome(Delivery delivery, Outcome outcome) {
        if (outcome instanceof Outcome.Published published) {
            ledger.recordDelivered(new Delivered(delivery.runId(), delivery.attempt(), "PUBLISHED",
                    published.digest(), published.tags()));
        } else if (outcome instanceof Outcome.Failed failed) {
            ledger.recordDelivered(new Delivered(delivery.runId(), delivery.attempt(), failed.reason().name(),
                    delivery.digest(), List.of()));
        }
    }

    private Outcome.Published publish(Delivery delivery) {
        if (!delivery.container()) {
            return publishVm(delivery);
        }
        Optional<String> notOwned = ownership.refusal(delivery.repository(), targets.imageName(delivery.staged()));
        if (notOwned.isPresent()) {
            throw new PromotionFailed(Reason.CONFIG_INVALID, notOwned.get(), null);
        }
        if (!DIGEST.matcher(delivery.digest()).matches()) {
            throw new PromotionFailed(Reason.ARTIFACT_MISSING, "'" + delivery.digest() + "' is not a content digest",
                    null);
        }
        List<ImageRef> all = targets.of(delivery.repository(), delivery.staged());
        ImageRef release = all.get(0);
        List<TagClaim> won = rules.claims(delivery).stream().filter(claim -> mayMove(release, claim)).toList();
        List<String> tags = won.stream().map(TagClaim::tag).toList();
        List<Outcome.Publication> publications = new ArrayList<>();
        for (ImageRef target : all) {
            publications.add(new Outcome.Publication(target, registry.copy(delivery.staged(), delivery.digest(), target)));
        }
        for (ImageRef target : all) {
            registry.tag(target, delivery.digest(), tags);
            for (String reference : tags.isEmpty() ? List.of(delivery.digest()) : tags) {
                verify(target, reference, delivery.digest());
            }
        }
        for (TagClaim claim : won) {
            ledger.recordTag(release, claim.tag(),
                    new TagHolder(delivery.runId(), delivery.attempt(), delivery.digest(), claim.precedence()));
        }
        return new Outcome.Published(delivery.digest(), tags, publications);
    }

    /**
     * Promotes the tested Glance image (digest = image id) in place. Release tags are held per image service and
     * source repository (the promoter moves a tag from the repository's other images), under the same precedence.
     */
    private Outcome.Published publishVm(Delivery delivery) {
        if (vmImages == null) {
            throw new PromotionFailed(Reason.CONFIG_INVALID, "OpenStack is not configured on this deliverer", null);
        }
        ImageRef release = new ImageRef(delivery.staged().registry(), delivery.repository());
        List<TagClaim> won = rules.claims(delivery).stream().filter(claim -> mayMove(release, claim)).toList();
        VmImages.ReleasedVm released = vmImages.promote(delivery.runId(), delivery.digest(),
                won.stream().map(TagClaim::tag).toList());
        for (TagClaim claim : won) {
            ledger.recordTag(release, claim.tag(),
                    new TagHolder(delivery.runId(), delivery.attempt(), delivery.digest(), claim.precedence()));
        }
        ImageRef target = new ImageRef(released.imageServiceUrl(), released.name());
        return new Outcome.Published(released.imageId(), released.tags(),
                List.of(new Outcome.Publication(target, new ImageRegistry.Promotion(0, 0, 0, 0))), true);
    }

    private boolean mayMove(ImageRef release, TagClaim claim) {
        return ledger.holder(release, claim.tag()).map(h -> claim.precedence().compareTo(h.precedence()) >= 0)
                .orElse(true);
    }

    private void verify(ImageRef target, String reference, String digest) {
        Optional<String> actual = registry.digestOf(target, reference);
        if (actual.isEmpty() || !actual.get().equals(digest)) {
            throw new PromotionFailed(Reason.DIGEST_MISMATCH, target + ":" + reference + " resolves to "
                    + actual.orElse("nothing") + " after promotion, not to the tested " + digest, null);
        }
    }
}
