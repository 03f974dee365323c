package io.slipway.deployer.adapter.http;

import io.slipway.common.management.ManagementToken;
import io.slipway.deployer.config.DeployerProperties;
import jakarta.inject.Singleton;

/**
 * The operators' token of the deployer's API ({@code SLIPWAY_DEPLOYER_TOKEN}), sent as
 * {@code Authorization: Bearer <token>} and compared in constant time (as the management token is): without a
 * configured token the API answers 503, a missing or wrong token 401.
 */
@Singleton
final class OperatorToken {

    private final ManagementToken token;

    OperatorToken(DeployerProperties properties) {
        this.token = new ManagementToken(properties.token());
    }

    /** The status refusing this {@code Authorization} header (null when absent), or 0 when it grants access. */
    int refusal(String authorization) {
        return switch (token.check(authorization)) {
            case GRANTED -> 0;
            case NOT_CONFIGURED -> 503;
            case ANONYMOUS, REFUSED -> 401;
        };
    }
}
