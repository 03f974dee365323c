package io.slipway.deployer.adapter.gitops;

import io.slipway.deployer.domain.Artifact;
import io.slipway.deployer.domain.DeployFailed;
import io.slipway.deployer.domain.DeployRequest;
import io.slipway.deployer.domain.TargetUnavailable;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The GitOps target against real bare git repositories and the real {@code kubectl kustomize}. */
class GitOpsTargetTest {

    private static final String DIGEST = "sha256:" + "4f".repeat(32);
    private static final String OLDER = "sha256:" + "0a".repeat(32);
    private static final String KUSTOMIZATION = "overlays/staging/kustomization.yaml";
    private static final Map<String, String> MANIFESTS = Map.of(
            "overlays/staging/deployment.yaml", """
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata:
                      name: app
                    spec:
                      replicas: 1
                      selector:
                        matchLabels: {app: app}
                      template:
                        metadata:
                          labels: {app: app}
                        spec:
                          containers:
                            - name: app
                              image: demo-app
                    """,
            KUSTOMIZATION, """
                    # staging overlay: resources by hand, the image by Slipway
                    resources:
                      - deployment.yaml
                    images:
                      - name: demo-app
                        newTag: latest
                    """);

    @TempDir
    Path dir;

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private DeploymentRepository repository(Map<String, String> files) throws Exception {
        DeploymentRepository repository = new DeploymentRepository(dir.resolve("remote"), files);
        closing.add(repository);
        return repository;
    }

    private GitOpsTarget kustomize(String url, GitOpsTarget.BeforePush beforePush) {
        return target(new GitOpsSettings(url, "main", KUSTOMIZATION, GitOpsSettings.Format.KUSTOMIZE, "demo-app",
                null, null, null, new PersonIdent("Slipway Bot", "bot@example.org"), true), beforePush);
    }

    private GitOpsTarget target(GitOpsSettings settings, GitOpsTarget.BeforePush beforePush) {
        return new GitOpsTarget("staging", settings, dir.resolve("work/gitops-staging"),
                new KustomizeRender(List.of("kubectl", "kustomize"), Duration.ofSeconds(60)), Duration.ofSeconds(30),
                beforePush);
    }

    private static DeployRequest request(String digest, String runId) {
        return new DeployRequest("staging", "demo/app", new Artifact(Artifact.Kind.CONTAINER, "127.0.0.1:5000",
                "demo/app", digest), runId, "a".repeat(40), false);
    }

    @Test
    void pushesACommitNamingTheDigestRunAndSourceToTheDeploymentRepository() throws Exception {
        DeploymentRepository remote = repository(MANIFESTS);

        assertThat(kustomize(remote.url(), attempt -> { }).deploy(request(DIGEST, "run-1")).url()).isEmpty();

        RevCommit head = remote.head();
        assertThat(head.getFullMessage()).startsWith("Deploy demo/app " + DIGEST + " to staging\n")
                .contains("Environment: staging", "Repository: demo/app", "Image: 127.0.0.1:5000/demo/app@" + DIGEST,
                        "Run: run-1", "Source: " + "a".repeat(40));
        assertThat(head.getAuthorIdent().getName()).isEqualTo("Slipway Bot");
        assertThat(head.getAuthorIdent().getEmailAddress()).isEqualTo("bot@example.org");
        assertThat(remote.commits()).isEqualTo(2);
        assertThat(remote.file(KUSTOMIZATION))
                .contains("# staging overlay: resources by hand, the image by Slipway")
                .contains("newName: 127.0.0.1:5000/demo/app", "digest: " + DIGEST)
                .doesNotContain("newTag");
    }

    @Test
    void thePushedTreeRendersWithTheDigestUnderKubectlKustomize() throws Exception {
        DeploymentRepository remote = repository(MANIFESTS);
        kustomize(remote.url(), attempt -> { }).deploy(request(DIGEST, "run-1"));

        Path checkout = dir.resolve("checkout");
        Git.cloneRepository().setURI(remote.url()).setBranch("main").setDirectory(checkout.toFile()).call().close();
        KustomizeRender.Result rendered = new KustomizeRender(List.of("kubectl", "kustomize"), Duration.ofSeconds(60))
                .render(checkout.resolve("overlays/staging"));

        assertThat(rendered.rendered()).as(rendered.errors()).isTrue();
        assertThat(rendered.output()).contains("image: 127.0.0.1:5000/demo/app@" + DIGEST);
    }

    @Test
    void redoesTheChangeOnTheNewHeadWhenSomeonePushedBetweenFetchAndPush() throws Exception {
        DeploymentRepository remote = repository(MANIFESTS);
        List<Integer> attempts = new ArrayList<>();
        GitOpsTarget target = kustomize(remote.url(), attempt -> {
            attempts.add(attempt);
            if (attempt == 1) {
                remote.commitAndPush(Map.of("overlays/staging/deployment.yaml",
                        MANIFESTS.get("overlays/staging/deployment.yaml").replace("replicas: 1", "replicas: 3")),
                        "Scale staging to 3");
            }
        });

        target.deploy(request(DIGEST, "run-1"));

        assertThat(attempts).containsExactly(1, 2);
        RevCommit head = remote.head();
        assertThat(head.getShortMessage()).isEqualTo("Deploy demo/app " + DIGEST + " to staging");
        assertThat(remote.parent(head).getShortMessage()).isEqualTo("Scale staging to 3");
        assertThat(remote.file("overlays/staging/deployment.yaml")).contains("replicas: 3");
        assertThat(remote.file(KUSTOMIZATION)).contains("digest: " + DIGEST);
        assertThat(remote.commits()).isEqualTo(3);
    }

    @Test
    void givesUpWithPushRejectedWhenTheBranchKeepsMoving() throws Exception {
        DeploymentRepository remote = repository(MANIFESTS);
        GitOpsTarget target = kustomize(remote.url(), attempt -> remote.commitAndPush(
                Map.of("notes.txt", "attempt " + attempt), "Someone else, again (" + attempt + ")"));

        assertThatThrownBy(() -> target.deploy(request(DIGEST, "run-1")))
                .isInstanceOfSatisfying(DeployFailed.class, e -> assertThat(e.reasonCode()).isEqualTo("PUSH_REJECTED"))
                .hasMessageContaining("rejected " + GitOpsTarget.MAX_PUSHES + " times");
        assertThat(remote.head().getShortMessage()).isEqualTo("Someone else, again (" + GitOpsTarget.MAX_PUSHES + ")");
        assertThat(remote.file(KUSTOMIZATION)).doesNotContain(DIGEST);
    }

    @Test
    void refusesToPushAKustomizationThatNoLongerRenders() throws Exception {
        DeploymentRepository remote = repository(Map.of(KUSTOMIZATION, """
                resources:
                  - deployment.yaml
                  - missing-service.yaml
                """, "overlays/staging/deployment.yaml", MANIFESTS.get("overlays/staging/deployment.yaml")));
        RevCommit before = remote.head();

        assertThatThrownBy(() -> kustomize(remote.url(), attempt -> { }).deploy(request(DIGEST, "run-1")))
                .isInstanceOfSatisfying(DeployFailed.class, e -> {
                    assertThat(e.reasonCode()).isEqualTo("RENDER_FAILED");
                    assertThat(e.logExcerpt()).contains("missing-service.yaml");
                });
        assertThat(remote.head()).isEqualTo(before);
    }

    @Test
    void refusesAKustomizationWhoseImageNoContainerUses() throws Exception {
        DeploymentRepository remote = repository(MANIFESTS);
        RevCommit before = remote.head();
        GitOpsTarget target = target(new GitOpsSettings(remote.url(), "main", KUSTOMIZATION,
                GitOpsSettings.Format.KUSTOMIZE, "typo-app", null, null, null, new PersonIdent("S", "s@localhost"),
                true), attempt -> { });

        assertThatThrownBy(() -> target.deploy(request(DIGEST, "run-1")))
                .isInstanceOfSatisfying(DeployFailed.class, e -> assertThat(e.reasonCode()).isEqualTo("RENDER_FAILED"))
                .hasMessageContaining("typo-app");
        assertThat(remote.head()).isEqualTo(before);
    }

    @Test
    void setsTheHelmValuePathToTheFullReference() throws Exception {
        DeploymentRepository remote = repository(Map.of("charts/app/values-staging.yaml", """
                replicaCount: 2
                image:
                  pullPolicy: IfNotPresent  # never Always in staging
                service:
                  port: 8080
                """));
        GitOpsTarget target = target(new GitOpsSettings(remote.url(), "main", "charts/app/values-staging.yaml",
                GitOpsSettings.Format.HELM, null, "image.reference", null, null,
                new PersonIdent("S", "s@localhost"), false), attempt -> { });

        target.deploy(request(DIGEST, "run-1"));

        String values = remote.file("charts/app/values-staging.yaml");
        assertThat(values).contains("reference: 127.0.0.1:5000/demo/app@" + DIGEST, "pullPolicy: IfNotPresent",
                "# never Always in staging", "port: 8080", "replicaCount: 2");
        assertThat(values.indexOf("reference:")).isGreaterThan(values.indexOf("image:"))
                .isLessThan(values.indexOf("service:"));
    }

    @Test
    void pushesNothingWhenTheFileAlreadyNamesTheDigest() throws Exception {
        DeploymentRepository remote = repository(MANIFESTS);
        GitOpsTarget target = kustomize(remote.url(), attempt -> { });
        target.deploy(request(DIGEST, "run-1"));
        RevCommit deployed = remote.head();

        target.deploy(request(DIGEST, "run-1"));
        kustomize(remote.url(), attempt -> { }).deploy(request(DIGEST, "run-1"));

        assertThat(remote.head()).isEqualTo(deployed);
        assertThat(remote.commits()).isEqualTo(2);
    }

    @Test
    void aRollbackWritesTheEarlierDigestAndSaysSo() throws Exception {
        DeploymentRepository remote = repository(MANIFESTS);
        GitOpsTarget target = kustomize(remote.url(), attempt -> { });
        target.deploy(request(OLDER, "run-1"));
        target.deploy(request(DIGEST, "run-2"));

        DeployRequest older = request(OLDER, "run-1");
        target.deploy(new DeployRequest(older.environment(), older.repository(), older.artifact(), older.runId(),
                older.commitSha(), true));

        assertThat(remote.head().getShortMessage()).isEqualTo("Roll back demo/app in staging to " + OLDER);
        assertThat(remote.file(KUSTOMIZATION)).contains("digest: " + OLDER).doesNotContain(DIGEST);
    }

    @Test
    void anUnreachableRepositoryIsUnavailableAndNeverShowsThePassword() {
        String password = "s3cret-deploy-token-9f2c";
        GitOpsTarget target = target(new GitOpsSettings("http://127.0.0.1:1/deploy.git", "main", KUSTOMIZATION,
                GitOpsSettings.Format.KUSTOMIZE, "demo-app", null, "slipway", password,
                new PersonIdent("S", "s@localhost"), true), attempt -> { });

        assertThatThrownBy(() -> target.deploy(request(DIGEST, "run-1")))
                .isInstanceOf(TargetUnavailable.class)
                .hasMessageContaining("http://127.0.0.1:1/deploy.git")
                .hasMessageNotContaining(password);
    }

    @Test
    void writesTheFileALinkInsideTheRepositoryLeadsTo() throws Exception {
        DeploymentRepository remote = repository(MANIFESTS);
        remote.pushLink("overlays/current", Path.of("staging"));
        GitOpsTarget target = target(new GitOpsSettings(remote.url(), "main", "overlays/current/kustomization.yaml",
                GitOpsSettings.Format.KUSTOMIZE, "demo-app", null, null, null, new PersonIdent("S", "s@localhost"),
                true), attempt -> { });

        target.deploy(request(DIGEST, "run-1"));

        assertThat(remote.file(KUSTOMIZATION)).contains("digest: " + DIGEST);
        assertThat(remote.commits()).isEqualTo(3);
    }

    @Test
    void refusesAFileThatLinksOutOfTheRepository() throws Exception {
        DeploymentRepository remote = repository(Map.of("overlays/staging/deployment.yaml",
                MANIFESTS.get("overlays/staging/deployment.yaml")));
        Path outside = Files.writeString(dir.resolve("outside.yaml"), "images: []\n");
        remote.pushLink(KUSTOMIZATION, outside);
        RevCommit before = remote.head();

        assertThatThrownBy(() -> kustomize(remote.url(), attempt -> { }).deploy(request(DIGEST, "run-1")))
                .isInstanceOfSatisfying(DeployFailed.class, e -> assertThat(e.reasonCode()).isEqualTo("CONFIG_INVALID"))
                .hasMessageContaining("link leading out of the repository");
        assertThat(Files.readString(outside)).isEqualTo("images: []\n");
        assertThat(remote.head()).isEqualTo(before);
    }
}
