package io.slipway.common.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * The management token ({@code SLIPWAY_MANAGEMENT_TOKEN}) that callers of health details, {@code /prometheus} and the
 * tester's reports send as {@code Authorization: Bearer <token>}. It is a secret: set it from the environment. Unset,
 * those endpoints refuse everyone and {@code /health} answers its status only.
 */
@ConfigurationProperties("slipway.management")
public record ManagementProperties(@Nullable String token) {
}
