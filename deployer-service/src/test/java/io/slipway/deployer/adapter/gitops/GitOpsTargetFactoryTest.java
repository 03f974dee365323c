package io.slipway.deployer.adapter.gitops;

import io.slipway.common.yaml.InvalidYaml;
import io.slipway.deployer.domain.DeploymentTarget;
import io.slipway.deployer.domain.TargetBlocks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The strict reading of {@code target: {kind: gitops, ...}} blocks. */
class GitOpsTargetFactoryTest {

    private static final Function<String, String> SECRETS = Map.of("SLIPWAY_DEPLOYER_GITOPS_TOKEN",
            "tok-3f9a8c2d1e")::get;

    @TempDir
    Path work;

    private static GitOpsSettings settings(String target) {
        return GitOpsTargetFactory.settings(TargetBlocks.staging(target), SECRETS);
    }

    @Test
    void readsAKustomizeBlockWithItsDefaults() {
        GitOpsSettings settings = settings("""
                kind: gitops
                url: https://git.example.org/ops/deploy.git
                path: overlays/staging/kustomization.yaml
                format: kustomize
                image: demo-app
                """);

        assertThat(settings.branch()).isEqualTo("main");
        assertThat(settings.render()).isTrue();
        assertThat(settings.author().getName()).isEqualTo("Slipway");
        assertThat(settings.author().getEmailAddress()).isEqualTo("slipway@localhost");
        assertThat(settings.password()).isNull();
    }

    @Test
    void readsAHelmBlockWithCredentialsFromTheNamedVariableAndNeverPrintsThem() {
        GitOpsSettings settings = settings("""
                kind: gitops
                url: https://git.example.org/ops/deploy.git
                branch: release
                path: charts/app/values-production.yaml
                format: helm
                value-path: image.reference
                username: slipway-bot
                password-env: SLIPWAY_DEPLOYER_GITOPS_TOKEN
                author: Release Bot <release@example.org>
                """);

        assertThat(settings.format()).isEqualTo(GitOpsSettings.Format.HELM);
        assertThat(settings.valuePath()).isEqualTo("image.reference");
        assertThat(settings.password()).isEqualTo("tok-3f9a8c2d1e");
        assertThat(settings.render()).isFalse();
        assertThat(settings.author().getName()).isEqualTo("Release Bot");
        assertThat(settings.toString()).doesNotContain("tok-3f9a8c2d1e");
    }

    @Test
    void makesAGitOpsTarget() {
        DeploymentTarget target = new GitOpsTargetFactory(work.toString()).create("staging", TargetBlocks.staging("""
                kind: gitops
                url: /srv/git/deploy.git
                path: kustomization.yaml
                format: kustomize
                image: demo-app
                """), SECRETS);

        assertThat(target.kind()).isEqualTo(DeploymentTarget.Kind.GITOPS);
    }

    @Test
    void refusesAnUnknownKeyNamingItsLine() {
        assertThatThrownBy(() -> settings("""
                kind: gitops
                url: /srv/git/deploy.git
                path: kustomization.yaml
                format: kustomize
                image: demo-app
                brnach: main
                """)).isInstanceOf(InvalidYaml.class)
                .hasMessageContaining("environments.yml line 9")
                .hasMessageContaining("brnach");
    }

    @Test
    void refusesAPathThatLeavesTheRepository() {
        for (String path : new String[] {"../other/kustomization.yaml", "/etc/kustomization.yaml",
                "a/../../kustomization.yaml", ".git/config", "a\\\\b.yaml"}) {
            assertThatThrownBy(() -> settings("""
                    kind: gitops
                    url: /srv/git/deploy.git
                    path: "%s"
                    format: kustomize
                    image: demo-app
                    """.formatted(path))).as(path).isInstanceOf(InvalidYaml.class)
                    .hasMessageContaining("key 'environments.staging.target.path'");
        }
    }

    @Test
    void refusesCredentialsWrittenInTheUrl() {
        assertThatThrownBy(() -> settings("""
                kind: gitops
                url: https://bot:tok-3f9a8c2d1e@git.example.org/ops/deploy.git
                path: kustomization.yaml
                format: kustomize
                image: demo-app
                """)).isInstanceOf(InvalidYaml.class).hasMessageContaining("must not carry credentials")
                .hasMessageNotContaining("tok-3f9a8c2d1e");
    }

    @Test
    void refusesAPasswordVariableThatIsNotSet() {
        assertThatThrownBy(() -> settings("""
                kind: gitops
                url: https://git.example.org/ops/deploy.git
                path: kustomization.yaml
                format: kustomize
                image: demo-app
                username: bot
                password-env: SLIPWAY_DEPLOYER_UNSET
                """)).isInstanceOf(InvalidYaml.class).hasMessageContaining("SLIPWAY_DEPLOYER_UNSET, which is not set");
    }

    @Test
    void refusesKeysOfTheOtherFormatAndAMissingImage() {
        assertThatThrownBy(() -> settings("""
                kind: gitops
                url: /srv/git/deploy.git
                path: values.yaml
                format: helm
                value-path: image.reference
                image: demo-app
                """)).isInstanceOf(InvalidYaml.class).hasMessageContaining("'environments.staging.target.image'");
        assertThatThrownBy(() -> settings("""
                kind: gitops
                url: /srv/git/deploy.git
                path: kustomization.yaml
                format: kustomize
                """)).isInstanceOf(InvalidYaml.class).hasMessageContaining("'environments.staging.target.image' is required");
        assertThatThrownBy(() -> settings("""
                kind: gitops
                url: git@git.example.org:ops/deploy.git
                path: kustomization.yaml
                format: kustomize
                image: demo-app
                """)).isInstanceOf(InvalidYaml.class).hasMessageContaining("must be a path, file://");
    }
}
