package io.slipway.deliverer.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** An {@link ImageRegistry} in memory: staged digests, what was copied and where tags point; faults on demand. */
final class FakeRegistry implements ImageRegistry {

    final Set<String> staged = new HashSet<>();
    final Map<String, String> references = new HashMap<>();
    final List<String> calls = new ArrayList<>();
    RuntimeException failure;
    String corruptReference;

    @Override
    public Promotion copy(ImageRef source, String digest, ImageRef target) {
        calls.add("copy " + target);
        if (failure != null) {
            throw failure;
        }
        if (!staged.contains(source + "@" + digest)) {
            throw new PromotionFailed(PromotionFailed.Reason.ARTIFACT_MISSING, "no " + digest, null);
        }
        references.put(target + "@" + digest, digest);
        return new Promotion(0, 0, 2, 1024);
    }

    @Override
    public void tag(ImageRef target, String digest, List<String> tags) {
        calls.add("tag " + target + " " + tags);
        tags.forEach(tag -> references.put(target + ":" + tag, tag.equals(corruptReference) ? "sha256:other" : digest));
    }

    @Override
    public Optional<String> digestOf(ImageRef image, String reference) {
        String separator = reference.contains(":") ? "@" : ":";
        return Optional.ofNullable(references.get(image + separator + reference));
    }

    String tagged(String target, String tag) {
        return references.get(target + ":" + tag);
    }
}
