package io.slipway.deployer.adapter.gitops;

import io.slipway.common.files.FileTrees;
import io.slipway.common.text.SecretMask;
import io.slipway.deployer.domain.Artifact;
import io.slipway.deployer.domain.DeployFailed;
import io.slipway.deployer.domain.DeployRequest;
import io.slipway.deployer.domain.Deployment;
import io.slipway.deployer.domain.DeploymentTarget;
import io.slipway.deployer.domain.TargetUnavailable;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A GitOps environment: writes the artifact's digest into a file of the deployment repository, proves a Kustomize
 * file still renders, commits (message naming environment, repository, digest, run and source commit) and pushes, so
 * Argo CD or Flux roll it out. A push rejected because someone pushed meanwhile is redone on the new head, at most
 * {@value #MAX_PUSHES} times; a file that already names the digest is left alone (nothing pushed). The repository is
 * kept in a work directory of its own per environment and reset to the remote branch before every attempt.
 */
final class GitOpsTarget implements DeploymentTarget {

    /** Called between the commit and its push; tests use it to push something first and force a rejection. */
    interface BeforePush {
        void run(int attempt) throws Exception;
    }

    static final int MAX_PUSHES = 5;
    private static final String LOCAL_BRANCH = "slipway-deploy";
    private static final Logger LOG = LoggerFactory.getLogger(GitOpsTarget.class);

    private final String environment;
    private final GitOpsSettings settings;
    private final Path workDir;
    private final KustomizeRender render;
    private final Duration timeout;
    private final BeforePush beforePush;
    private final CredentialsProvider credentials;
    private final SecretMask mask;

    GitOpsTarget(String environment, GitOpsSettings settings, Path workDir, KustomizeRender render, Duration timeout,
                 BeforePush beforePush) {
        this.environment = environment;
        this.settings = settings;
        this.workDir = workDir;
        this.render = render;
        this.timeout = timeout;
        this.beforePush = beforePush;
        this.credentials = settings.password() == null ? null
                : new UsernamePasswordCredentialsProvider(settings.username(), settings.password());
        this.mask = new SecretMask(settings.password() == null ? List.of() : List.of(settings.password()));
    }

    @Override
    public Kind kind() {
        return Kind.GITOPS;
    }

    @Override
    public synchronized Deployment deploy(DeployRequest request) throws DeployFailed, TargetUnavailable {
        Artifact artifact = request.artifact();
        if (artifact.kind() != Artifact.Kind.CONTAINER) {
            throw new DeployFailed("CONFIG_INVALID", "environment " + environment
                    + " is a GitOps repository and deploys container images, not a " + artifact.kind() + " image", null);
        }
        long started = System.nanoTime();
        try (Git git = open()) {
            for (int attempt = 1; attempt <= MAX_PUSHES; attempt++) {
                RevCommit head = fetch(git);
                Optional<RevCommit> commit = edit(git, head, request);
                if (commit.isEmpty()) {
                    LOG.info("Environment {}: {} already names {}; nothing to push", environment, settings.path(),
                            artifact.digest());
                    return done(started);
                }
                try {
                    beforePush.run(attempt);
                } catch (Exception e) {
                    throw new IllegalStateException("before push", e);
                }
                if (push(git, commit.get())) {
                    LOG.info("Environment {}: pushed {} ({}) to {} {} on attempt {}", environment,
                            commit.get().getName(), artifact.reference(), settings.url(), settings.branch(), attempt);
                    return done(started);
                }
                LOG.info("Environment {}: push to {} {} rejected (the branch moved); redoing the change on its new "
                        + "head", environment, settings.url(), settings.branch());
            }
            throw new DeployFailed("PUSH_REJECTED", "The push to " + settings.url() + " branch " + settings.branch()
                    + " was rejected " + MAX_PUSHES + " times because the branch kept moving", null);
        } catch (IOException | GitAPIException | JGitInternalException e) {
            throw unavailable("Deployment repository " + settings.url() + " of environment " + environment
                    + " is not usable: " + e.getMessage(), e);
        }
    }

    private static Deployment done(long started) {
        return new Deployment(Optional.empty(), Duration.ofNanos(System.nanoTime() - started));
    }

    /** The environment's work repository, made afresh when missing or broken. */
    private Git open() throws IOException, GitAPIException {
        if (Files.isDirectory(workDir.resolve(Constants.DOT_GIT), LinkOption.NOFOLLOW_LINKS)) {
            try {
                return Git.open(workDir.toFile());
            } catch (IOException e) {
                LOG.warn("Work repository {} is broken ({}); making it again", workDir, e.getMessage());
            }
        }
        FileTrees.delete(workDir);
        Files.createDirectories(workDir);
        return Git.init().setDirectory(workDir.toFile()).setInitialBranch(LOCAL_BRANCH).call();
    }

    /** Fetches the branch and returns its head; an unreachable repository is {@link TargetUnavailable}. */
    private RevCommit fetch(Git git) throws TargetUnavailable, DeployFailed, IOException {
        String tracking = Constants.R_REMOTES + "origin/" + settings.branch();
        FetchResult result;
        try {
            result = git.fetch().setRemote(settings.url()).setCredentialsProvider(credentials)
                    .setTimeout((int) Math.max(1, timeout.toSeconds()))
                    .setRefSpecs(new RefSpec("+" + Constants.R_HEADS + settings.branch() + ":" + tracking)).call();
        } catch (GitAPIException | JGitInternalException e) {
            throw unavailable("Cannot fetch " + settings.url() + " (environment " + environment + "): "
                    + e.getMessage(), e);
        }
        Ref advertised = result.getAdvertisedRef(Constants.R_HEADS + settings.branch());
        if (advertised == null) {
            throw new DeployFailed("CONFIG_INVALID", "The deployment repository " + settings.url() + " has no branch "
                    + settings.branch(), null);
        }
        return git.getRepository().parseCommit(advertised.getObjectId());
    }

    /** Resets the work tree to {@code head}, writes the artifact and commits; empty when the file already names it. */
    private Optional<RevCommit> edit(Git git, RevCommit head, DeployRequest request)
            throws DeployFailed, IOException, GitAPIException {
        git.reset().setMode(ResetCommand.ResetType.HARD).setRef(head.getName()).call();
        git.clean().setCleanDirectories(true).setIgnore(false).setForce(true).call();
        Path file = file();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new DeployFailed("CONFIG_INVALID", settings.path() + " in " + settings.url() + " is not UTF-8 text",
                    null);
        }
        Artifact artifact = request.artifact();
        DeploymentFile.Edit edit = settings.format() == GitOpsSettings.Format.KUSTOMIZE
                ? new DeploymentFile.Edit.Kustomize(settings.image(),
                        artifact.registry() + "/" + artifact.repository(), artifact.digest())
                : new DeploymentFile.Edit.Helm(settings.valuePath(), artifact.reference());
        Optional<String> edited;
        try {
            edited = DeploymentFile.apply(settings.path(), text, edit);
        } catch (DeploymentFile.Unusable e) {
            throw new DeployFailed("CONFIG_INVALID", e.getMessage() + " (deployment repository " + settings.url()
                    + ")", null);
        }
        if (edited.isEmpty()) {
            return Optional.empty();
        }
        Files.writeString(file, edited.get(), StandardCharsets.UTF_8);
        if (settings.render()) {
            checkRenders(file.getParent(), artifact);
        }
        git.add().addFilepattern(workDir.toRealPath().relativize(file).toString().replace('\\', '/')).call();
        return Optional.of(git.commit().setMessage(message(request)).setAuthor(settings.author())
                .setCommitter(settings.author()).setSign(false).setNoVerify(true).call());
    }

    /** The configured file, which must be a regular file inside the work tree once links are followed. */
    private Path file() throws DeployFailed, IOException {
        Path root = workDir.toRealPath();
        Path file = root.resolve(settings.path()).normalize();
        if (!file.startsWith(root) || !Files.exists(file)) {
            throw new DeployFailed("CONFIG_INVALID", "The deployment repository " + settings.url() + " has no file "
                    + settings.path() + " on branch " + settings.branch(), null);
        }
        Path real = file.toRealPath();
        if (!real.startsWith(root) || real.startsWith(root.resolve(Constants.DOT_GIT)) || !Files.isRegularFile(real)) {
            throw new DeployFailed("CONFIG_INVALID", settings.path() + " in " + settings.url()
                    + " is a link leading out of the repository or not a regular file", null);
        }
        return real;
    }

    private void checkRenders(Path directory, Artifact artifact) throws DeployFailed, IOException {
        KustomizeRender.Result result = render.render(directory);
        if (!result.rendered()) {
            throw new DeployFailed("RENDER_FAILED", "kubectl kustomize " + (settings.path().contains("/")
                    ? settings.path().substring(0, settings.path().lastIndexOf('/')) : ".")
                    + " in " + settings.url() + " fails with the new image; nothing was pushed",
                    mask.apply(result.errors()));
        }
        if (!result.output().contains(artifact.reference())) {
            throw new DeployFailed("RENDER_FAILED", "The Kustomize output of " + settings.url() + " does not use "
                    + artifact.reference() + ": no container's image is named '" + settings.image()
                    + "'; nothing was pushed", null);
        }
    }

    private String message(DeployRequest request) {
        Artifact artifact = request.artifact();
        String subject = request.rollback()
                ? "Roll back " + request.repository() + " in " + request.environment() + " to " + artifact.digest()
                : "Deploy " + request.repository() + " " + artifact.digest() + " to " + request.environment();
        return subject + "\n\nEnvironment: " + request.environment() + "\nRepository: " + request.repository()
                + "\nImage: " + artifact.reference() + "\nRun: " + request.runId() + "\nSource: " + request.commitSha()
                + "\n";
    }

    /** True when the branch now points at {@code commit}; false when it moved meanwhile (fetch and redo). */
    private boolean push(Git git, RevCommit commit) throws DeployFailed, TargetUnavailable {
        Iterable<PushResult> results;
        try {
            results = git.push().setRemote(settings.url()).setCredentialsProvider(credentials)
                    .setTimeout((int) Math.max(1, timeout.toSeconds()))
                    .setRefSpecs(new RefSpec(commit.getName() + ":" + Constants.R_HEADS + settings.branch())).call();
        } catch (GitAPIException | JGitInternalException e) {
            throw unavailable("Cannot push to " + settings.url() + " (environment " + environment + "): "
                    + e.getMessage(), e);
        }
        List<String> refusals = new ArrayList<>();
        for (PushResult result : results) {
            for (RemoteRefUpdate update : result.getRemoteUpdates()) {
                switch (update.getStatus()) {
                    case OK, UP_TO_DATE -> {
                        return true;
                    }
                    case REJECTED_NONFASTFORWARD, REJECTED_REMOTE_CHANGED -> {
                        return false;
                    }
                    default -> refusals.add(update.getStatus() + (update.getMessage() == null ? ""
                            : ": " + update.getMessage()));
                }
            }
        }
        throw new DeployFailed("PUSH_REJECTED", mask.apply("The deployment repository " + settings.url()
                + " refused the push to " + settings.branch() + ": " + String.join("; ", refusals)), null);
    }

    private TargetUnavailable unavailable(String message, Exception cause) {
        String masked = mask.apply(message);
        LOG.warn(masked);
        return new TargetUnavailable(masked, null);
    }
}
