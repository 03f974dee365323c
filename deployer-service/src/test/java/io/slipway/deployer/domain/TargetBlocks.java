package io.slipway.deployer.domain;

import io.slipway.common.yaml.StrictYaml;
import io.slipway.common.yaml.YamlMap;

/** Target blocks for tests, read as the deployer reads them: inside a one-environment file, so lines are real. */
public final class TargetBlocks {

    private TargetBlocks() {
    }

    /**
     * The {@code target:} block of environment {@code staging} in {@code environments.yml}, whose text is
     * {@code target}; its first line is line 4 of the file.
     */
    public static YamlMap staging(String target) {
        return StrictYaml.read("environments.yml", "environments:\n  staging:\n    target:\n" + target.indent(6))
                .orElseThrow().map().required("environments").map().required("staging").map().required("target")
                .map();
    }
}
