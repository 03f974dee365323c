package io.slipway.builder.domain;

import io.slipway.builder.domain.BuildOutcome.Built;
import io.slipway.builder.domain.BuildOutcome.Failed;
import io.slipway.builder.domain.BuildOutcome.StagedImage;
import io.slipway.builder.domain.BuildOutcome.TestSuite;
import io.slipway.common.files.FileTrees;
import io.slipway.common.policy.ImageOwnership;
import io.slipway.common.requests.RequestStates.Staleness;
import io.slipway.common.requests.StalenessWatch;
import io.slipway.common.text.SecretMask;
import io.slipway.common.text.TerminalText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The builder's use case: turns a commit into an image staged at {@code <registry>/<prefix>/<image>:<sha>} (a pull
 * or merge request's under its own tag, {@link #stagedTag}), where the image name must be the repository's to publish
 * ({@link ImageOwnership}; otherwise {@code CONFIG_INVALID} before anything is built or looked up in the registry).
 * A run none of whose changed paths passes the repository's path filters is not built ({@code IGNORED}); a fork's
 * request is built without the service's build args or any credentials.
 * A request superseded by a newer commit of its branch is not built; an image already staged for the sha is not
 * rebuilt (cache hit); otherwise the commit's tree is exported into a fresh workspace (removed afterwards), built
 * with its OCI labels and pushed; workspaces a killed instance left behind are removed when the service is created
 * (the workspace directory belongs to one instance). Business failures become a {@link Failed} outcome; an
 * unreachable Docker engine, registry or git server ends the attempt with {@link InfrastructureUnavailable} (masked,
 * with the attempt's log excerpt), which the record pipeline retries for the builder's retry budget. On shutdown
 * running builds get a grace period, then are cancelled and handed back ({@link BuildInterrupted}). A run of a pull or
 * merge request that is stale (the request was closed, or got a newer head, after the run) is not built, and a build
 * that goes stale while it runs is cancelled the same way (engine build stopped, workspace removed); either ends the
 * run for good as {@link Reason#CANCELLED} or {@link Reason#SUPERSEDED}, never handed back.
 */
public final class BuildService implements Builds {

    /**
     * Service settings.
     *
     * @param maxTimeout      the longest a build may run (a repository may ask for less)
     * @param workspaces      where fresh workspaces are created
     * @param excerptBytes    the size limit of the log excerpt in {@code BuildFailed}
     * @param serviceBuildArgs build args the service passes to every build (e.g. proxies), masked in the log; a
     *                         repository cannot override them ({@link BuildArgs})
     * @param imageOwnership  which image names a repository may ask for in {@code image:}
     */
    public record Settings(Duration maxTimeout, Path workspaces, int excerptBytes,
                           Map<String, String> serviceBuildArgs, ImageOwnership imageOwnership) {
    }

    static final long MAX_CONFIG_BYTES = 64 * 1024;
    static final long MAX_SUITE_BYTES = 256 * 1024;
    static final long MAX_SUITES_BYTES = 512 * 1024;
    private static final int LOG_BUFFER_BYTES = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(BuildService.class);

    private final Settings settings;
    private final Sources sources;
    private final StagingRegistry registry;
    private final ImageBuilder builder;
    private final Supersession supersession;
    private final SecretMask mask;
    private final Clock clock;
    private final VmImages vmImages;
    private final StreamedLog.Streams streams;
    private final Set<Cancellation> running = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    public BuildService(Settings settings, Sources sources, StagingRegistry registry, ImageBuilder builder,
                        Supersession supersession, SecretMask mask, Clock clock) {
        this(settings, sources, registry, builder, supersession, mask, clock, null);
    }

    /** With {@code vmImages} null, a repository asking for {@code backend: openstack} fails as CONFIG_INVALID. */
    public BuildService(Settings settings, Sources sources, StagingRegistry registry, ImageBuilder builder,
                        Supersession supersession, SecretMask mask, Clock clock, VmImages vmImages) {
        this(settings, sources, registry, builder, supersession, mask, clock, vmImages, StreamedLog.Streams.NONE);
    }

    /** With {@code streams}: each attempt's masked log also goes, in chunks, to the log stream. */
    public BuildService(Settings settings, Sources sources, StagingRegistry registry, ImageBuilder builder,
                        Supersession supersession, SecretMask mask, Clock clock, VmImages vmImages,
                        StreamedLog.Streams streams) {
        this.vmImages = vmImages;
        this.streams = streams;
        this.settings = settings;
        this.sources = sources;
        this.registry = registry;
        this.builder = builder;
        this.supersession = supersession;
        this.mask = mask;
        this.clock = clock;
        sweepLeftoverWorkspaces(settings.workspaces());
    }

    @Override
    public BuildOutcome build(BuildRequest request, StalenessWatch watch) {
        if (stopping) {
            throw new BuildInterrupted("the builder is shutting down");
        }
        StreamedLog streamed = streams.open(request);
        BuildLog log = new BuildLog(mask, LOG_BUFFER_BYTES, line -> {
            LOG.info("[{} {}@{}] {}", request.repository(), request.shortRef(), request.shortSha(), line);
            streamed.line(line);
        });
        boolean ended = false;
        try {
            BuildOutcome outcome = outcome(request, watch, log);
            ended = true;
            return outcome;
        } finally {
            // An attempt without an outcome (retried, or handed back) is built again: its streamed log goes on then.
            log.flush();
            if (ended) {
                streamed.finish();
            } else {
                streamed.pause();
            }
        }
    }

    private BuildOutcome outcome(BuildRequest request, StalenessWatch watch, BuildLog log) {
        Cancellation cancellation = new Cancellation();
        running.add(cancellation);
        Instant started = clock.instant();
        AtomicReference<Staleness> stale = new AtomicReference<>();
        try (StalenessWatch.Subscription ignored = watch.whenStale(staleness -> {
            if (stale.compareAndSet(null, staleness)) {
                log.line("Slipway: " + staleness.message() + "; stopping the build");
                cancellation.cancel();
            }
        })) {
            Optional<Staleness> before = watch.now();
            if (before.isPresent()) {
                return stale(request, before.get(), "commit " + request.shortSha() + " was not built", null);
            }
            try {
                return attempt(request, started, log, cancellation);
            } catch (RuntimeException e) {
                // Whatever the stopped step threw (interrupted, a closed stream), the run ends for its request.
                if (stale.get() == null) {
                    throw e;
                }
                return stale(request, stale.get(), "the build of " + request.shortSha() + " was stopped",
                        log.excerpt(settings.excerptBytes()));
            }
        } catch (StageFailure failure) {
            LOG.info("Run {} of {}@{} failed: {} {}", request.runId(), request.repository(), request.shortSha(),
                    failure.reason(), failure.getMessage());
            return new Failed(failure.reason(), shown(failure.getMessage()), log.excerpt(settings.excerptBytes()),
                    failure.retryable());
        } catch (InfrastructureUnavailable unavailable) {
            throw unavailable.reported(shown(unavailable.getMessage()), log.excerpt(settings.excerptBytes()));
        } finally {
            synchronized (running) {
                running.remove(cancellation);
                running.notifyAll();
            }
        }
    }

    /**
     * Stops taking builds, lets running ones finish for up to {@code grace}, then cancels the rest (their requests
     * are handed back and built again by whichever instance gets them next).
     */
    @Override
    public void shutdown(Duration grace) {
        stopping = true;
        long deadline = System.nanoTime() + grace.toNanos();
        synchronized (running) {
            while (!running.isEmpty() && System.nanoTime() < deadline) {
                try {
                    running.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (!running.isEmpty()) {
            LOG.warn("Cancelling {} running build(s) at shutdown; their commits are handed back", running.size());
            running.forEach(Cancellation::cancel);
        }
    }

    private BuildOutcome attempt(BuildRequest request, Instant started, BuildLog log, Cancellation cancellation) {
        Optional<String> newer = supersession.newerCommit(request);
        if (newer.isPresent()) {
            return new Failed(Reason.SUPERSEDED, "Superseded: commit " + shortSha(newer.get()) + " of " + request.shortRef()
                    + " was waiting behind " + request.shortSha() + "; only the newest waiting commit of a branch is built.",
                    null, false);
        }
        try (Sources.Tree tree = sources.fetch(Sources.Fetch.of(request))) {
            PipelineFile file = pipelineFile(tree, request);
            Optional<String> notOwned = settings.imageOwnership().refusal(request.repository(), file.image());
            if (notOwned.isPresent()) {
                throw PipelineFileParser.invalid(file.line("image"), notOwned.get());
            }
            Optional<Failed> ignored = ignored(request, file, tree, log);
            if (ignored.isPresent()) {
                return ignored.get();
            }
            if (file.backend() == PipelineFile.Backend.OPENSTACK) {
                return buildVm(request, started, tree, file, log, cancellation);
            }
            Map<String, String> args = BuildArgs.merge(settings.serviceBuildArgs(), file, request.untrusted());
            if (tree.size(file.dockerfile()).isEmpty()) {
                throw PipelineFileParser.invalid(file.line("dockerfile"), "no Dockerfile at '" + file.dockerfile()
                        + "' in commit " + request.shortSha() + (file.lines().containsKey("dockerfile") ? ""
                        : " (set 'dockerfile' if it has another name)"));
            }
            List<TestSuite> suites = suites(tree, file);
            String repository = registry.prefix() + "/" + file.image();
            String tag = stagedTag(request, tree.commit());
            Optional<String> staged = registry.stagedDigest(repository, tag);
            if (staged.isPresent()) {
                log.line("Image " + repository + ":" + tag + " is already staged as " + staged.get() + "; not rebuilt");
                return built(started, repository, tag, staged.get(), true, suites, file.deploy(), Map.of());
            }
            Path workspace = workspace(request);
            try {
                tree.export(workspace);
                Duration timeout = file.timeout() == null || file.timeout().compareTo(settings.maxTimeout()) > 0
                        ? settings.maxTimeout() : file.timeout();
                String image = registry.host() + "/" + repository;
                Map<String, String> labels = labels(request, tree.commit(), tag);
                builder.build(new ImageBuilder.BuildSpec(workspace, workspace.resolve(file.context()),
                        workspace.resolve(file.dockerfile()), image + ":" + tag, labels,
                        args, file.target(), timeout, request.untrusted()), log, cancellation);
                ImageBuilder.PushResult pushed = builder.push(image, tag, log, cancellation);
                LOG.info("Run {}: staged {}:{} as {} ({} bytes uploaded)", request.runId(), image, tag,
                        pushed.digest(), pushed.bytesPushed());
                return built(started, repository, tag, pushed.digest(), false, suites, file.deploy(), labels);
            } finally {
                delete(workspace);
            }
        }
    }

    /** The outcome of a run whose pull or merge request moved on: not a failure of the commit, not retried. */
    private Failed stale(BuildRequest request, Staleness staleness, String what, String excerpt) {
        Reason reason = staleness.reason() == Staleness.Reason.CLOSED ? Reason.CANCELLED : Reason.SUPERSEDED;
        LOG.info("Run {} of {}@{} ends as {}: {}", request.runId(), request.repository(), request.shortSha(), reason,
                staleness.message());
        return new Failed(reason, shown(staleness.message() + "; " + what + "."), excerpt, false);
    }

    /** Backend {@code openstack}: the provisioning script at the commit, run in a VM snapshotted into Glance. */
    private BuildOutcome buildVm(BuildRequest request, Instant started, Sources.Tree tree, PipelineFile file,
                                 BuildLog log, Cancellation cancellation) {
        if (vmImages == null) {
            throw new StageFailure(Reason.CONFIG_INVALID, "OpenStack backend is not configured on this builder", false);
        }
        PipelineFile.OpenStack openstack = file.openstack();
        String script = provisionScript(tree, file, request);
        List<TestSuite> suites = suites(tree, file);
        VmImages.VmImage image = vmImages.build(new VmImages.VmBuild(request.runId(), request.repository(),
                source(request), tree.commit(), request.ref(), script, openstack.server()), log, cancellation);
        LOG.info("Run {}: VM image {} ({}) is in {}", request.runId(), image.name(), image.imageId(),
                image.imageServiceUrl());
        long millis = Duration.between(started, clock.instant()).toMillis();
        return new Built(new StagedImage(image.imageServiceUrl(), image.name(), null, image.imageId()), millis, false,
                suites, BuildOutcome.Kind.VM, file.deploy());
    }

    private static String provisionScript(Sources.Tree tree, PipelineFile file, BuildRequest request) {
        String path = file.openstack().provision();
        OptionalLong size = tree.size(path);
        if (size.isEmpty()) {
            throw PipelineFileParser.invalid(file.line("openstack.provision"), "provisioning script '" + path
                    + "' does not exist in commit " + request.shortSha());
        }
        if (size.getAsLong() > MAX_CONFIG_BYTES) {
            throw PipelineFileParser.invalid(file.line("openstack.provision"), "provisioning script '" + path
                    + "' is larger than " + MAX_CONFIG_BYTES + " bytes");
        }
        return new String(tree.read(path), StandardCharsets.UTF_8);
    }

    private PipelineFile pipelineFile(Sources.Tree tree, BuildRequest request) {
        OptionalLong size = tree.size(PipelineFile.PATH);
        if (size.isEmpty()) {
            throw new StageFailure(Reason.CONFIG_MISSING, "Commit " + request.shortSha() + " has no " + PipelineFile.PATH
                    + " at the repository root; it says what to build (see the builder-service README).", false);
        }
        if (size.getAsLong() > MAX_CONFIG_BYTES) {
            throw PipelineFileParser.invalid(1, "the file is larger than " + MAX_CONFIG_BYTES + " bytes");
        }
        return PipelineFileParser.parse(new String(tree.read(PipelineFile.PATH), StandardCharsets.UTF_8),
                PipelineFileParser.defaultImage(request.repository()));
    }

    private static List<TestSuite> suites(Sources.Tree tree, PipelineFile file) {
        List<TestSuite> suites = new ArrayList<>();
        long total = 0;
        for (String path : file.tests()) {
            OptionalLong size = tree.size(path);
            if (size.isEmpty()) {
                throw PipelineFileParser.invalid(file.line("tests"), "test suite '" + path + "' does not exist in the commit");
            }
            total += size.getAsLong();
            if (size.getAsLong() > MAX_SUITE_BYTES || total > MAX_SUITES_BYTES) {
                throw PipelineFileParser.invalid(file.line("tests"), "test suites may be at most " + MAX_SUITE_BYTES
                        + " bytes each and " + MAX_SUITES_BYTES + " bytes together; '" + path + "' exceeds that");
            }
            suites.add(new TestSuite(path, new String(tree.read(path), StandardCharsets.UTF_8)));
        }
        return List.copyOf(suites);
    }

    private Built built(Instant started, String repository, String tag, String digest, boolean cacheHit,
                        List<TestSuite> suites, DeployIntent deploy, Map<String, String> labels) {
        long millis = Duration.between(started, clock.instant()).toMillis();
        return new Built(new StagedImage(registry.host(), repository, tag, digest), millis, cacheHit, suites,
                BuildOutcome.Kind.CONTAINER, deploy, labels);
    }

    /**
     * Path filters ({@code .slipway.yml} {@code paths}): a branch push or a request none of whose changed paths is
     * wanted ends at once as {@link Reason#IGNORED}. A tag is always built: tagging is a release, not a change.
     */
    private static Optional<Failed> ignored(BuildRequest request, PipelineFile file, Sources.Tree tree, BuildLog log) {
        if (file.paths().isNone() || request.isTag()) {
            return Optional.empty();
        }
        Sources.ChangedPaths changed = tree.changedPaths(file.paths()::wants);
        if (changed.firstWanted() != null) {
            log.line("Slipway: " + changed.firstWanted() + " changed (" + changed.comparedWith() + ") and matches the "
                    + "path filters of " + PipelineFile.PATH);
            return Optional.empty();
        }
        return Optional.of(new Failed(Reason.IGNORED, "Ignored: none of the " + changed.count() + " path(s) changed ("
                + changed.comparedWith() + ") matches the path filters of " + PipelineFile.PATH + " line "
                + file.line("paths") + " (" + file.paths().describe() + "); nothing was built.", null, false));
    }

    /**
     * The tag an image is staged under: the sha for a push; for a request its own scheme, never the bare sha or a
     * branch (a request's image may differ from a push's of the same sha: a merge result, or a fork's build without
     * the service's build args): {@code pr-12-<head12>} ({@code mr-} for GitLab), plus {@code -merge-<merge12>} for
     * a merge result.
     */
    static String stagedTag(BuildRequest request, String built) {
        BuildRequest.ChangeRequest change = request.request();
        if (change == null) {
            return request.sha();
        }
        String tag = change.tagPrefix() + "-" + sha12(request.sha());
        return built.equals(request.sha()) ? tag : tag + "-merge-" + sha12(built);
    }

    /**
     * The OCI labels that tie the image to its commit and run; {@code built} is the commit built (the merge commit of
     * a merge result). A request's image also carries its number, kind, head sha and merge sha.
     */
    Map<String, String> labels(BuildRequest request, String built, String tag) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("org.opencontainers.image.revision", built);
        labels.put("org.opencontainers.image.source", source(request));
        labels.put("org.opencontainers.image.created", clock.instant().toString());
        labels.put("org.opencontainers.image.version", request.request() != null ? tag
                : request.isTag() ? request.shortRef() : request.shortRef() + "-" + request.shortSha());
        labels.put("io.slipway.run-id", request.runId());
        BuildRequest.ChangeRequest change = request.request();
        if (change != null) {
            labels.put("io.slipway.request.number", Integer.toString(change.number()));
            labels.put("io.slipway.request.kind", change.kind() == BuildRequest.ChangeRequest.Kind.MERGE ? "merge" : "pull");
            labels.put("io.slipway.request.head-sha", request.sha());
            if (!built.equals(request.sha())) {
                labels.put("io.slipway.request.merge-sha", built);
            }
        }
        return labels;
    }

    private static String sha12(String sha) {
        return sha.length() > 12 ? sha.substring(0, 12) : sha;
    }

    private static String source(BuildRequest request) {
        return request.webUrl() != null && !request.webUrl().isBlank() ? request.webUrl()
                : withoutUserInfo(request.cloneUrl());
    }

    static String withoutUserInfo(String url) {
        try {
            URI uri = new URI(url);
            return uri.getRawUserInfo() == null ? url
                    : new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString();
        } catch (java.net.URISyntaxException e) {
            return url;
        }
    }

    /** A failure message as the event shows it: without terminal escapes, secrets masked (as each log line). */
    private String shown(String message) {
        return mask.apply(TerminalText.strip(message));
    }

    private Path workspace(BuildRequest request) {
        try {
            return Files.createDirectories(settings.workspaces().resolve(request.runId() + "-" + UUID.randomUUID()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a workspace under " + settings.workspaces(), e);
        }
    }

    /**
     * Before this instance's first build: a previous life of it killed mid-build (no {@code finally}, no shutdown
     * hook) left its workspace here, and nothing else would ever remove it.
     */
    private static void sweepLeftoverWorkspaces(Path workspaces) {
        if (!Files.isDirectory(workspaces)) {
            return;
        }
        try (Stream<Path> leftovers = Files.list(workspaces)) {
            List<Path> dirs = leftovers.toList();
            dirs.forEach(BuildService::delete);
            if (!dirs.isEmpty()) {
                LOG.info("Removed {} workspace(s) a previous builder left in {}", dirs.size(), workspaces);
            }
        } catch (IOException e) {
            LOG.warn("Could not list leftover workspaces in {}: {}", workspaces, e.toString());
        }
    }

    private static void delete(Path directory) {
        try {
            FileTrees.delete(directory);
        } catch (IOException e) {
            LOG.warn("Could not remove workspace {}: {}", directory, e.toString());
        }
    }

    private static String shortSha(String sha) {
        return sha.length() > 7 ? sha.substring(0, 7) : sha;
    }
}
