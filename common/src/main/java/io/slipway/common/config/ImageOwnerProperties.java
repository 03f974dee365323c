package io.slipway.common.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import io.slipway.common.policy.ImageOwnership;

import java.util.Comparator;
import java.util.List;

/**
 * One entry of {@code slipway.images.owners}: repositories whose full name matches the glob {@code repositories} may
 * publish images at or under {@code prefixes}, besides their own name. An entry without a glob is skipped, so
 * environment-driven defaults can stay unset.
 */
@EachProperty(value = "slipway.images.owners", list = true)
public record ImageOwnerProperties(@Parameter Integer index,
                                   @Nullable String repositories,
                                   @Nullable List<String> prefixes) {

    public boolean isComplete() {
        return repositories != null && !repositories.isBlank();
    }

    /**
     * The ownership the entries configure, in the order written.
     *
     * @throws IllegalArgumentException naming the entry when a glob or prefix is malformed, so the service stops
     */
    public static ImageOwnership ownership(List<ImageOwnerProperties> entries) {
        return new ImageOwnership(entries.stream().filter(ImageOwnerProperties::isComplete)
                .sorted(Comparator.comparing(ImageOwnerProperties::index))
                .map(e -> new ImageOwnership.Rule(e.repositories(), e.prefixes()))
                .toList());
    }
}
