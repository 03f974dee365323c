package io.slipway.deployer.domain;

import io.slipway.common.yaml.InvalidYaml;
import io.slipway.common.yaml.YamlNode;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one reading of a secret named by a {@code *-env} key, shared by every target kind. */
class SecretVariablesTest {

    private static final Function<String, String> SECRETS = Map.of("SLIPWAY_DEPLOYER_TOKEN", "tok-5e1f7a",
            "SLIPWAY_DEPLOYER_BLANK", "")::get;

    private static YamlNode passwordEnv(String variable) {
        return TargetBlocks.staging("kind: fake\npassword-env: " + variable + "\n").required("password-env");
    }

    @Test
    void readsTheValueOfTheVariableTheKeyNames() {
        assertThat(SecretVariables.value(passwordEnv("SLIPWAY_DEPLOYER_TOKEN"), SECRETS)).isEqualTo("tok-5e1f7a");
    }

    @Test
    void refusesAVariableThatIsNotSetOrEmptyNamingTheLineAndTheVariable() {
        assertThatThrownBy(() -> SecretVariables.value(passwordEnv("SLIPWAY_DEPLOYER_UNSET"), SECRETS))
                .isInstanceOf(InvalidYaml.class)
                .hasMessageContaining("line 5")
                .hasMessageContaining("'environments.staging.target.password-env'")
                .hasMessageContaining("SLIPWAY_DEPLOYER_UNSET, which is not set");
        assertThatThrownBy(() -> SecretVariables.value(passwordEnv("SLIPWAY_DEPLOYER_BLANK"), SECRETS))
                .isInstanceOf(InvalidYaml.class)
                .hasMessageContaining("line 5")
                .hasMessageContaining("SLIPWAY_DEPLOYER_BLANK, which is empty");
    }

    @Test
    void refusesWhatIsNotAVariableNameWithoutLookingItUp() {
        Function<String, String> leaky = name -> "tok-5e1f7a";
        for (String bad : new String[] {"'tok-5e1f7a'", "1ABC", "'A B'", "'$HOME'", "'" + "A".repeat(129) + "'"}) {
            assertThatThrownBy(() -> SecretVariables.value(passwordEnv(bad), leaky)).as(bad)
                    .isInstanceOf(InvalidYaml.class)
                    .hasMessageContaining("must name an environment variable");
        }
    }
}
