package io.slipway.deployer.domain;

import java.util.List;

/**
 * The repository's own {@code deploy:} block (untrusted): the environments it chooses among those the operators allow
 * it (empty: all of them) and smoke checks run after the operators' own. It can only narrow, never widen.
 */
public record Intent(List<String> environments, List<SmokeCheck> smoke) {

    public static final Intent NONE = new Intent(List.of(), List.of());

    public Intent {
        environments = environments == null ? List.of() : List.copyOf(environments);
        smoke = smoke == null ? List.of() : List.copyOf(smoke);
    }
}
