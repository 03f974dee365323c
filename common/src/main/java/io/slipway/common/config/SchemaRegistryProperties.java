package io.slipway.common.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Where the schema registry is and how to talk to it. {@code userInfo} is {@code user:password} for basic auth
 * and is a secret: set it from the environment, never in a committed file.
 */
@ConfigurationProperties("slipway.schema-registry")
public record SchemaRegistryProperties(
        @Bindable(defaultValue = "http://127.0.0.1:8081") String url,
        @Nullable String userInfo,
        @Bindable(defaultValue = "true") boolean autoRegister) {
}
