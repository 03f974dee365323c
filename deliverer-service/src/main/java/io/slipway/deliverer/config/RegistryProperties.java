package io.slipway.deliverer.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * One entry of {@code slipway.deliverer.registries}: a registry host ({@code host[:port]}, as image references and
 * events name it), the address the deliverer reaches it at when that differs (blank: the host), the credentials the
 * deliverer uses there (secrets: from the environment only), and whether it speaks plain HTTP. An entry without a
 * host is skipped, so environment-driven defaults can stay unset.
 */
@EachProperty(value = "slipway.deliverer.registries", list = true)
public record RegistryProperties(@Parameter Integer index,
                                 @Nullable String host,
                                 @Nullable String address,
                                 @Nullable String username,
                                 @Nullable String password,
                                 @Bindable(defaultValue = "false") boolean insecure) {

    public boolean isComplete() {
        return host != null && !host.isBlank();
    }
}
