package io.slipway.builder.domain;

import java.util.List;

/**
 * The {@code deploy:} block of {@code .slipway.yml}: which of the environments the operators allow the repository it
 * wants (empty: every one of them) and the smoke checks to run there. The builder only reads and checks it; it travels
 * unchanged to the deployer, which narrows the operators' configuration with it and never widens it.
 *
 * @param environments environment names, in the order written
 * @param smoke        HTTP checks against the deployment, in the order written
 */
public record DeployIntent(List<String> environments, List<SmokeCheck> smoke) {

    public DeployIntent {
        environments = List.copyOf(environments);
        smoke = List.copyOf(smoke);
    }

    /**
     * GET {@code path} on the deployment's URL; expect {@code status} and, when not null, {@code contains} in the body.
     */
    public record SmokeCheck(String path, int status, String contains) {
    }
}
