package io.slipway.builder.adapter.git;

import io.slipway.builder.domain.InfrastructureUnavailable;
import io.slipway.builder.domain.Reason;
import io.slipway.builder.domain.Sources;
import io.slipway.builder.domain.StageFailure;
import io.slipway.common.policy.CloneUrlPolicy;
import io.slipway.common.policy.Origin;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.HttpTransport;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Fetches commits with JGit into one cached bare mirror per repository and clone URL: a commit the mirror already
 * has costs no network round trip, otherwise only what is new is fetched (all branches and tags, then the sha
 * itself if it is on none). A pull or merge request's ref is always fetched, and its tip checked against the run
 * ({@link RequestRef}); a fork's request is fetched with no credentials at all, into a mirror of its own, so nothing
 * fetched with the operators' credentials reaches it. Before connecting, the clone URL and the addresses its host resolves to must pass the
 * {@link CloneUrlPolicy}; over HTTP(S) every redirect passes it again, connections go to the addresses checked
 * ({@link FetchSession}), git credentials go only to their configured host, and the whole fetch has a deadline.
 * Fetched objects are checked, so a tree with unsafe names never reaches a workspace. A mirror is in use from the
 * fetch until its tree is closed; {@link Mirrors} prunes the others by age and total size.
 */
public final class JGitSources implements Sources {

    /** Credentials for one git server, sent to no other origin; the password never appears in {@link #toString()}. */
    public record Credentials(Origin host, String username, String password) {
        @Override
        public String toString() {
            return username + " @ " + host;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(JGitSources.class);
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");

    private final Mirrors mirrors;
    private final CloneUrlPolicy policy;
    private final CloneUrlPolicy.Resolver resolver;
    private final Credentials credentials;
    private final CredentialsProvider provider;
    private final Duration timeout;
    private final Duration deadline;

    /** Sources whose mirrors in {@code mirrors} are pruned with the {@link Mirrors.Limits#DEFAULT default limits}. */
    public JGitSources(Path mirrors, CloneUrlPolicy policy, CloneUrlPolicy.Resolver resolver, Credentials credentials,
                       Duration timeout, Duration deadline) {
        this(new Mirrors(mirrors, Mirrors.Limits.DEFAULT, Clock.systemUTC()), policy, resolver, credentials, timeout,
                deadline);
    }

    /**
     * {@code credentials} may be null (public repositories); {@code timeout} bounds each read, {@code deadline} a whole
     * fetch.
     */
    public JGitSources(Mirrors mirrors, CloneUrlPolicy policy, CloneUrlPolicy.Resolver resolver,
                       Credentials credentials, Duration timeout, Duration deadline) {
        this.mirrors = mirrors;
        this.policy = policy;
        this.resolver = resolver;
        this.credentials = credentials;
        this.provider = credentials == null ? null : new HostBound(credentials);
        this.timeout = timeout;
        this.deadline = deadline;
        HttpTransport.setConnectionFactory(FetchSession.CONNECTIONS);
    }

    @Override
    public Tree fetch(Fetch fetch) {
        String commitSha = fetch.sha() == null ? "" : fetch.sha().toLowerCase(Locale.ROOT);
        if (!SHA.matcher(commitSha).matches()) {
            throw new StageFailure(Reason.SOURCE_UNAVAILABLE, "'" + fetch.sha() + "' is not a full commit sha", false);
        }
        Optional<RequestRef> requestRef = RequestRef.of(fetch.ref());
        String cloneUrl = fetch.anonymous() ? display(fetch.cloneUrl()) : fetch.cloneUrl();
        Access access = fetch.anonymous() ? Access.ANONYMOUS : new Access(provider,
                credentials == null ? null : credentials.host());
        String url = display(cloneUrl);
        CloneUrlPolicy.Checked checked = checkPolicy(cloneUrl, url);
        ObjectId id = ObjectId.fromString(commitSha);
        ObjectId before = before(fetch.before());
        Mirrors.Use use = mirrors.acquire(mirrorName(fetch.repository(), cloneUrl, fetch.anonymous()));
        Repository mirror = null;
        try {
            mirror = open(use.dir());
            RevCommit built;
            ObjectId base;
            synchronized (use.lock()) {
                if (requestRef.isPresent() || commit(mirror, id) == null
                        || before != null && commit(mirror, before) == null) {
                    fetchInto(mirror, cloneUrl, url, requestRef, Stream.of(id, before).filter(Objects::nonNull).toList(),
                            checked, access);
                }
                built = requestRef.isPresent() ? requestTip(mirror, requestRef.get(), id, url) : commit(mirror, id);
                base = fetch.targetBranch() != null ? ref(mirror, Constants.R_HEADS + fetch.targetBranch())
                        : before != null && commit(mirror, before) != null ? before : null;
            }
            if (built == null) {
                throw new StageFailure(Reason.SOURCE_UNAVAILABLE, "Commit " + commitSha + " is not in " + url
                        + " (was it force-pushed away?)", false);
            }
            return new JGitTree(mirror, built, new JGitTree.ChangeBase(id, base, fetch.targetBranch()), use);
        } catch (RuntimeException e) {
            if (mirror != null) {
                mirror.close();
            }
            use.close();
            throw e;
        }
    }

    private CloneUrlPolicy.Checked checkPolicy(String cloneUrl, String url) {
        CloneUrlPolicy.Checked checked;
        try {
            checked = policy.check(cloneUrl, resolver);
        } catch (UnknownHostException e) {
            throw new InfrastructureUnavailable(Reason.SOURCE_UNAVAILABLE, "Cannot resolve the host of " + url, e);
        }
        if (checked.refusal().isPresent()) {
            throw new StageFailure(Reason.SOURCE_UNAVAILABLE, "Clone URL " + url + " refused: " + checked.refusal().get(),
                    false);
        }
        return checked;
    }

    /**
     * Fetches all branches and tags (and a request's refs) into the mirror, then each of {@code shas} the mirror
     * still lacks, by sha.
     */
    private void fetchInto(Repository mirror, String cloneUrl, String url, Optional<RequestRef> requestRef,
                           List<ObjectId> shas, CloneUrlPolicy.Checked checked, Access access) {
        long started = System.nanoTime();
        try (FetchSession session = FetchSession.open(policy, resolver, cloneUrl, checked, access.credentialHost(),
                timeout, deadline);
             Git git = Git.wrap(mirror)) {
            try {
                List<RefSpec> specs = new ArrayList<>(List.of(new RefSpec("+refs/heads/*:refs/heads/*"),
                        new RefSpec("+refs/tags/*:refs/tags/*")));
                requestRef.ifPresent(ref -> specs.add(ref.refSpec()));
                git.fetch().setRemote(cloneUrl).setCredentialsProvider(access.provider())
                        .setTimeout((int) timeout.toSeconds()).setRefSpecs(specs)
                        .setTagOpt(TagOpt.NO_TAGS).setRemoveDeletedRefs(true).setCheckFetchedObjects(true)
                        .setProgressMonitor(session.monitor()).call();
                for (ObjectId id : shas) {
                    if (commit(mirror, id) == null) {
                        fetchSha(git, cloneUrl, id, session, access);
                    }
                }
            } catch (InvalidRemoteException e) {
                throw new StageFailure(Reason.SOURCE_UNAVAILABLE, "No git repository at " + url + ": " + e.getMessage(),
                        false);
            } catch (GitAPIException | JGitInternalException e) {
                throw classify(e, url, session);
            }
            LOG.info("Fetched {} into mirror {} in {} ms", url, mirror.getDirectory().getName(),
                    (System.nanoTime() - started) / 1_000_000);
        }
    }

    /** Servers that allow fetching reachable shas (GitHub, GitLab, git with allowReachableSHA1InWant) serve it. */
    private void fetchSha(Git git, String cloneUrl, ObjectId id, FetchSession session, Access access) {
        try {
            git.fetch().setRemote(cloneUrl).setCredentialsProvider(access.provider())
                    .setTimeout((int) timeout.toSeconds())
                    .setRefSpecs(new RefSpec(id.name() + ":refs/slipway/" + id.name())).setCheckFetchedObjects(true)
                    .setProgressMonitor(session.monitor()).call();
        } catch (GitAPIException e) {
            if (session.expired()) {
                throw classify(e, display(cloneUrl), session);
            }
            LOG.debug("Fetching {} by sha failed: {}", id.name(), e.toString());
        }
    }

    private RuntimeException classify(Exception e, String url, FetchSession session) {
        if (session.expired()) {
            return new StageFailure(Reason.SOURCE_UNAVAILABLE, "Fetching " + url + " did not finish within "
                    + session.deadline() + " (the fetch deadline, SLIPWAY_GIT_FETCH_DEADLINE)", false);
        }
        if (session.refusal().isPresent()) {
            return new StageFailure(Reason.SOURCE_UNAVAILABLE, "Fetching " + url + " was redirected to a URL the clone URL"
                    + " policy refuses: " + session.refusal().get(), false);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof NoRemoteRepositoryException) {
                return new StageFailure(Reason.SOURCE_UNAVAILABLE, "No git repository at " + url, false);
            }
            String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if ((message.contains("not authorized") || message.contains("authentication"))) {
                return new StageFailure(Reason.SOURCE_UNAVAILABLE, "The git server refused access to " + url + ": "
                        + t.getMessage() + credentialHint(url), false);
            }
        }
        return new InfrastructureUnavailable(Reason.SOURCE_UNAVAILABLE, "Could not fetch " + url + ": " + e.getMessage(), e);
    }

    private String credentialHint(String url) {
        if (credentials == null) {
            return " (no git credentials are configured)";
        }
        try {
            return credentials.host().matches(new URI(url)) ? ""
                    : " (git credentials are sent only to " + credentials.host() + ")";
        } catch (URISyntaxException e) {
            return "";
        }
    }

    /** Answers JGit's credential requests for the credential host only; for any other URL it has nothing. */
    private static final class HostBound extends CredentialsProvider {
        private final Credentials credentials;
        private final UsernamePasswordCredentialsProvider delegate;

        HostBound(Credentials credentials) {
            this.credentials = credentials;
            this.delegate = new UsernamePasswordCredentialsProvider(credentials.username(),
                    credentials.password() == null ? "" : credentials.password());
        }

        @Override
        public boolean isInteractive() {
            return false;
        }

        @Override
        public boolean supports(CredentialItem... items) {
            return delegate.supports(items);
        }

        @Override
        public boolean get(URIish uri, CredentialItem... items) {
            boolean ownHost;
            try {
                ownHost = credentials.host().matches(new URI(uri.setUser(null).setPass(null).toString()));
            } catch (URISyntaxException e) {
                ownHost = false;
            }
            if (!ownHost) {
                LOG.info("Not offering git credentials to {}: they are for {}", uri.setUser(null).setPass(null),
                        credentials.host());
                return false;
            }
            return delegate.get(uri, items);
        }
    }

    /**
     * The commit a request ref's fetched tip says to build: for a head ref the tip must be the run's sha; for a merge
     * ref the tip is the merge commit, which must have the run's sha (the head) as a parent.
     */
    private static RevCommit requestTip(Repository mirror, RequestRef ref, ObjectId head, String url) {
        ObjectId tip = ref(mirror, ref.local());
        if (tip == null) {
            throw new StageFailure(Reason.SOURCE_UNAVAILABLE, url + " has no " + ref.name() + (ref.merge()
                    ? " (forges make no merge ref while the request has conflicts, or before they computed it)"
                    : " (is the request number right?)"), ref.merge());
        }
        RevCommit commit = commit(mirror, tip);
        if (commit == null) {
            throw new StageFailure(Reason.SOURCE_UNAVAILABLE, ref.name() + " of " + url + " points to " + tip.name()
                    + ", which is not a commit", false);
        }
        if (!ref.merge()) {
            if (!tip.equals(head)) {
                throw new StageFailure(Reason.SOURCE_UNAVAILABLE, ref.name() + " of " + url + " points to "
                        + tip.name() + ", not to the run's " + head.name() + ": the request has another head now (a "
                        + "newer push or a force-push); its own run builds it", false);
            }
            return commit;
        }
        for (RevCommit parent : commit.getParents()) {
            if (parent.equals(head)) {
                return commit;
            }
        }
        throw new StageFailure(Reason.SOURCE_UNAVAILABLE, ref.name() + " of " + url + " points to " + tip.name()
                + ", which does not merge the run's head " + head.name() + " (the forge has not updated its merge ref"
                + " yet, or the request has another head now)", true);
    }

    private static ObjectId ref(Repository repository, String name) {
        try {
            Ref ref = repository.exactRef(name);
            return ref == null ? null : ref.getObjectId();
        } catch (IOException e) {
            return null;
        }
    }

    /** A push's previous sha as an id, or null when there is none (new branch, unknown, or not a sha). */
    private static ObjectId before(String before) {
        String sha = before == null ? "" : before.toLowerCase(Locale.ROOT);
        return SHA.matcher(sha).matches() && !ObjectId.zeroId().name().equals(sha) ? ObjectId.fromString(sha) : null;
    }

    /** The credentials a fetch may offer, and the one host they go to; {@link #ANONYMOUS}: none to anyone. */
    private record Access(CredentialsProvider provider, Origin credentialHost) {
        static final Access ANONYMOUS = new Access(null, null);
    }

    private static RevCommit commit(Repository repository, ObjectId id) {
        try (RevWalk walk = new RevWalk(repository)) {
            return repository.getObjectDatabase().has(id) ? walk.parseCommit(id) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static Repository open(Path dir) {
        try {
            Repository repository = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
            if (!Files.exists(dir.resolve("HEAD"))) {
                Files.createDirectories(dir.getParent());
                repository.create(true);
            }
            return repository;
        } catch (IOException | IllegalStateException e) {
            throw new InfrastructureUnavailable(Reason.INFRASTRUCTURE, "Cannot open the mirror " + dir + ": " + e, e);
        }
    }

    /**
     * {@code owner__name-<hash of the clone URL>.git}: readable, and distinct for distinct URLs of one repository;
     * {@code -anonymous.git} for the mirror fetched without credentials (forks' requests).
     */
    static String mirrorName(String repository, String cloneUrl) {
        return mirrorName(repository, cloneUrl, false);
    }

    /** As {@link #mirrorName(String, String)}, with the suffix of the anonymous mirror when {@code anonymous}. */
    static String mirrorName(String repository, String cloneUrl, boolean anonymous) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(cloneUrl.getBytes(StandardCharsets.UTF_8));
            String readable = repository.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "__");
            return readable + "-" + HexFormat.of().formatHex(hash, 0, 6) + (anonymous ? "-anonymous" : "") + ".git";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The URL without user info, for messages. */
    static String display(String cloneUrl) {
        return cloneUrl == null ? "<none>" : cloneUrl.replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]*@", "$1");
    }
}
