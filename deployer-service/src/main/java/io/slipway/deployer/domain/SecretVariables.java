package io.slipway.deployer.domain;

import io.slipway.common.yaml.InvalidYaml;
import io.slipway.common.yaml.YamlNode;

import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads a secret that a target block of the environments file names by variable (a {@code *-env} key such as
 * {@code password-env: SLIPWAY_DEPLOYER_GITOPS_TOKEN}, or an {@code env-from} entry), as every {@link TargetFactory}
 * does: the key must hold a variable name, and that variable must be set and not empty. A refusal is an
 * {@link InvalidYaml} naming the line and the variable, never the value.
 */
public final class SecretVariables {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    private SecretVariables() {
    }

    /**
     * The value of the variable {@code node} names; {@code secrets} resolves a variable's name to its value, or null.
     *
     * @throws InvalidYaml when {@code node} holds no variable name, or the variable is not set or empty
     */
    public static String value(YamlNode node, Function<String, String> secrets) {
        String variable = node.text();
        if (!NAME.matcher(variable).matches()) {
            throw node.invalid("must name an environment variable (letters, digits and _, not starting with a digit),"
                    + " not " + node.shown());
        }
        String value = secrets.apply(variable);
        if (value == null) {
            throw node.invalid("names the environment variable " + variable + ", which is not set");
        }
        if (value.isEmpty()) {
            throw node.invalid("names the environment variable " + variable + ", which is empty");
        }
        return value;
    }
}
