package io.slipway.deployer.config;

import io.slipway.common.yaml.InvalidYaml;
import io.slipway.deployer.adapter.fake.FakeTargetFactory;
import io.slipway.deployer.domain.Environment;
import io.slipway.deployer.domain.Environments;
import io.slipway.deployer.domain.Run;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvironmentsFileTest {

    private final EnvironmentsFile file = new EnvironmentsFile(List.of(new FakeTargetFactory()), name -> null, "main");

    private static final String GOOD = """
            environments:
              staging:
                repositories: ["demo/*"]
                refs: ["refs/heads/*"]
                url: http://127.0.0.1:18080/
                smoke:
                  - {path: /, status: 200}
                target: {kind: fake}
              production:
                after: staging
                approval: true
                soak: 10m
                repositories: ["demo/*"]
                url: http://127.0.0.1:18081/
                target: {kind: fake, note: second}
            """;

    private static Run run(String ref) {
        return new Run("r", "demo/app", "a".repeat(40), ref, false, 1, 1, null);
    }

    @Test
    void readsEnvironmentsWithTheirGatesAndTargets() {
        Environments environments = file.parse("environments.yml", GOOD);

        Environment staging = environments.find("staging").orElseThrow();
        Environment production = environments.find("production").orElseThrow();
        assertThat(environments.automatic()).containsExactly(staging);
        assertThat(environments.following("staging")).containsExactly(production);
        assertThat(staging.smoke()).singleElement().satisfies(c -> assertThat(c.path()).isEqualTo("/"));
        assertThat(production.approval()).isTrue();
        assertThat(production.soak()).isEqualTo(Duration.ofMinutes(10));
        assertThat(production.refusal(run("refs/heads/main"))).isNull();
        assertThat(production.refusal(run("refs/heads/dev"))).contains("refs/heads/dev");
        assertThat(staging.refusal(run("refs/heads/dev"))).isNull();
    }

    @Test
    void anEmptyFileHasNoEnvironments() {
        assertThat(file.parse("environments.yml", "# nothing yet\n").isEmpty()).isTrue();
    }

    @Test
    void refusesMistakesNamingTheLine() {
        assertThatThrownBy(() -> file.parse("environments.yml", GOOD.replace("previews", "x").replace("approval: true",
                "aproval: true"))).isInstanceOf(InvalidYaml.class).hasMessageContaining("line 11").hasMessageContaining("aproval");
        assertThatThrownBy(() -> file.parse("environments.yml", GOOD.replace("kind: fake, note", "kind: rocket, note")))
                .isInstanceOf(InvalidYaml.class).hasMessageContaining("rocket").hasMessageContaining("known: fake");
        assertThatThrownBy(() -> file.parse("environments.yml", GOOD.replace("path: /,", "path: //evil.example,")))
                .isInstanceOf(InvalidYaml.class).hasMessageContaining("line 7");
        assertThatThrownBy(() -> file.parse("environments.yml", GOOD.replace("soak: 10m", "soak: 10")))
                .isInstanceOf(InvalidYaml.class).hasMessageContaining("soak");
        assertThatThrownBy(() -> file.parse("environments.yml", GOOD.replace("  production:", "  Production:")))
                .isInstanceOf(InvalidYaml.class).hasMessageContaining("environment name");
        assertThatThrownBy(() -> file.parse("environments.yml", GOOD.replace("target: {kind: fake, note: second}",
                "target: {kind: fake, password: hunter2}"))).isInstanceOf(InvalidYaml.class).hasMessageContaining("password");
    }

    @Test
    void refusesAnAfterThatNamesNoEnvironmentOrACycle() {
        assertThatThrownBy(() -> file.parse("environments.yml", GOOD.replace("after: staging", "after: stagin")))
                .isInstanceOf(InvalidYaml.class).hasMessageContaining("'stagin', which is not defined");
        String cycle = GOOD.replace("    refs: [\"refs/heads/*\"]", "    after: production\n    refs: [\"refs/heads/*\"]");
        assertThatThrownBy(() -> file.parse("environments.yml", cycle))
                .isInstanceOf(InvalidYaml.class).hasMessageContaining("cycle");
    }
}
