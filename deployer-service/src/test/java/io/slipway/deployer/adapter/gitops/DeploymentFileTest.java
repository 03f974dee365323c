package io.slipway.deployer.adapter.gitops;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Writing an image into Kustomize and Helm files, without git. */
class DeploymentFileTest {

    private static final String DIGEST = "sha256:" + "4f".repeat(32);
    private static final DeploymentFile.Edit KUSTOMIZE = new DeploymentFile.Edit.Kustomize("demo-app",
            "127.0.0.1:5000/demo/app", DIGEST);

    @Test
    void addsTheImagesListAndEntryWhenMissing() throws Exception {
        String edited = DeploymentFile.apply("k.yaml", "resources:\n  - deployment.yaml\n", KUSTOMIZE).orElseThrow();

        assertThat(edited).isEqualTo("""
                resources:
                  - deployment.yaml
                images:
                  - name: demo-app
                    newName: 127.0.0.1:5000/demo/app
                    digest: %s
                """.formatted(DIGEST));
    }

    @Test
    void changesOnlyTheNamedEntryAndKeepsTheOthers() throws Exception {
        String edited = DeploymentFile.apply("k.yaml", """
                images:
                  - {name: sidecar, newTag: "1.2"}
                  - name: demo-app
                    newTag: latest
                """, KUSTOMIZE).orElseThrow();

        assertThat(edited).contains("{name: sidecar, newTag: \"1.2\"}", "digest: " + DIGEST)
                .containsOnlyOnce("newTag");
    }

    @Test
    void saysNothingChangesWhenTheEntryAlreadyNamesTheDigest() throws Exception {
        String written = DeploymentFile.apply("k.yaml", "images: []\n", KUSTOMIZE).orElseThrow();

        assertThat(DeploymentFile.apply("k.yaml", written, KUSTOMIZE)).isEmpty();
    }

    @Test
    void createsTheMappingsOfAHelmValuePath() throws Exception {
        String edited = DeploymentFile.apply("values.yaml", "replicaCount: 2\n",
                new DeploymentFile.Edit.Helm("app.image.reference", "r/a@" + DIGEST)).orElseThrow();

        assertThat(edited).isEqualTo("replicaCount: 2\napp:\n  image:\n    reference: r/a@" + DIGEST + "\n");
    }

    @Test
    void refusesAValuePathThroughAListOrAFileThatIsNoMapping() {
        assertThatThrownBy(() -> DeploymentFile.apply("values.yaml", "app: [1, 2]\n",
                new DeploymentFile.Edit.Helm("app.image", "x"))).isInstanceOf(DeploymentFile.Unusable.class)
                .hasMessageContaining("'app' is not a mapping");
        assertThatThrownBy(() -> DeploymentFile.apply("k.yaml", "- a\n- b\n", KUSTOMIZE))
                .isInstanceOf(DeploymentFile.Unusable.class).hasMessageContaining("not a YAML mapping");
        assertThatThrownBy(() -> DeploymentFile.apply("k.yaml", "images: {name: x}\n", KUSTOMIZE))
                .isInstanceOf(DeploymentFile.Unusable.class).hasMessageContaining("'images' is not a list");
    }
}
