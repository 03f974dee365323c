package io.slipway.notifier.domain;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Delivers a notification to its channel once per event id: a channel that already notified the event does nothing.
 * Slack gets one message; commit statuses get the run's state; an issue tracker keeps one issue per repository and
 * branch: the first failure opens it, later failures comment on it, a publication of the branch comments and closes
 * it (unless the failure it reports is newer than the published run). Before opening an issue it looks on the forge
 * for an open one carrying the branch's {@link IssueMarker} and adopts it, so an issue opened but not remembered
 * (a crash or failed save in between) is never opened twice. A commit status never goes back from a result to
 * pending, whatever order the topics are read in; a request's status goes to its head. A pull or merge request gets
 * one comment from the notifier: the first failure posts it, later runs update it in place (failing again, or passing
 * now); it is found on the forge by its marker when the memory does not know it. A deployment (or rollback, or failed
 * deployment) is recorded on the forge's deployments with its result, and its commit status is the environment's,
 * linking to where the environment answers. Each remote call is retried on its
 * own by a {@link Retrier}; the memory of the channel, repository and branch (or request) is saved after every step
 * that changed it.
 */
public final class NotificationDispatcher {

    private final Map<ChannelId, ChatChannel> chats;
    private final Map<ChannelId, IssueTracker> trackers;
    private final Map<ChannelId, CommitStatuses> statuses;
    private final Map<ChannelId, RequestComments> comments;
    private final Map<ChannelId, ForgeDeployments> deployments;
    private final ChannelMemoryStore memories;
    private final NotificationTexts texts;
    private final Retrier.Policy retryPolicy;
    private final int dedupeWindow;

    public NotificationDispatcher(Map<ChannelId, ChatChannel> chats, Map<ChannelId, IssueTracker> trackers,
                                  Map<ChannelId, CommitStatuses> statuses, Map<ChannelId, RequestComments> comments,
                                  Map<ChannelId, ForgeDeployments> deployments, ChannelMemoryStore memories,
                                  NotificationTexts texts, Retrier.Policy retryPolicy, int dedupeWindow) {
        this.chats = Map.copyOf(chats);
        this.trackers = Map.copyOf(trackers);
        this.statuses = Map.copyOf(statuses);
        this.comments = Map.copyOf(comments);
        this.deployments = Map.copyOf(deployments);
        this.memories = memories;
        this.texts = texts;
        this.retryPolicy = retryPolicy;
        this.dedupeWindow = dedupeWindow;
    }

    /**
     * Delivers one notification to its channel.
     *
     * @param waiter  waits between retries; may abort the delivery by throwing, which leaves it to be redelivered
     * @param onRetry told before each retry, for logs and metrics
     */
    public DeliveryOutcome deliver(Delivery delivery, Retrier.Waiter waiter, Retrier.Listener onRetry) {
        ChannelId channel = delivery.channel();
        Notification n = delivery.notification();
        ChannelMemory memory = memories.load(channel, n.repository(), n.subject());
        if (memory.hasNotified(n.eventId())) {
            return new DeliveryOutcome.Duplicate();
        }
        Retrier retrier = new Retrier(retryPolicy, waiter, onRetry);
        try {
            String detail = switch (channel.type()) {
                case SLACK -> {
                    retrier.run(() -> require(chats, channel).announce(n));
                    yield "posted";
                }
                case STATUS -> {
                    Step step = setStatus(require(statuses, channel), n, memory, retrier);
                    memory = step.memory();
                    yield step.detail();
                }
                case ISSUES -> {
                    Step step = trackIssue(channel, require(trackers, channel), n, memory, retrier);
                    memory = step.memory();
                    yield step.detail();
                }
                case REQUESTS -> {
                    Step step = commentOnRequest(channel, require(comments, channel), n, memory, retrier);
                    memory = step.memory();
                    yield step.detail();
                }
                case DEPLOYMENTS -> recordDeployment(require(deployments, channel), n, retrier);
            };
            memories.save(channel, n.repository(), n.subject(), memory.withNotified(n.eventId(), dedupeWindow));
            return new DeliveryOutcome.Sent(detail);
        } catch (NotificationRejected e) {
            return new DeliveryOutcome.Rejected(e);
        } catch (Retrier.Exhausted e) {
            return new DeliveryOutcome.Abandoned(e);
        }
    }

    private Step setStatus(CommitStatuses forge, Notification n, ChannelMemory memory, Retrier retrier) {
        String runAttempt = n.runId() + "#" + n.attempt();
        if (n.kind() == EventKind.STARTED && memory.hasFinished(runAttempt)) {
            return new Step(memory, "status already final");
        }
        CommitStatuses.State state = switch (n.kind()) {
            case STARTED -> CommitStatuses.State.PENDING;
            case PUBLISHED, PASSED, DEPLOYED, ROLLED_BACK -> CommitStatuses.State.SUCCESS;
            case FAILED -> CommitStatuses.State.FAILURE;
            case CANCELLED -> CommitStatuses.State.CANCELLED;
            case IGNORED -> CommitStatuses.State.SKIPPED;
        };
        retrier.run(() -> forge.set(n, state, texts.statusDescription(n), texts.statusUrl(n).orElse(null)));
        return new Step(n.kind() == EventKind.STARTED ? memory : memory.withFinished(runAttempt, dedupeWindow),
                "status " + state);
    }

    private record Step(ChannelMemory memory, String detail) {
    }

    /**
     * Records what now runs in the environment (or that deploying there failed): the deployment, then its result
     * when the forge takes it separately, each call retried on its own so a deployment is created once.
     */
    private String recordDeployment(ForgeDeployments forge, Notification n, Retrier retrier) {
        if (!n.isDeployment()) {
            return "not a deployment";
        }
        ForgeDeployments.Result result = n.kind() == EventKind.FAILED ? ForgeDeployments.Result.FAILURE
                : ForgeDeployments.Result.SUCCESS;
        String description = texts.statusDescription(n);
        Optional<String> created = retrier.call(() -> forge.create(n, result, description));
        if (created.isEmpty()) {
            return "deployment " + result + " sent for " + n.deployment().environment();
        }
        retrier.run(() -> forge.status(n, created.get(), result, description, texts.runUrl(n).orElse(null)));
        return "deployment " + created.get() + " " + result + " in " + n.deployment().environment();
    }

    /**
     * Keeps the one comment of a request: a failure updates the remembered comment, else the one found on the forge
     * by its marker, else posts it; a pass updates the comment if there is one (looked up only when the channel knows
     * nothing of the request: a first event, or a memory lost). A run triggered before the one the comment reports
     * leaves it alone. The comment stays remembered ({@link ChannelMemory#openIssue()} of this channel).
     */
    private Step commentOnRequest(ChannelId channel, RequestComments forge, Notification n, ChannelMemory memory,
                                  Retrier retrier) {
        boolean failed = n.kind() == EventKind.FAILED;
        Optional<ChannelMemory.OpenIssue> kept = memory.issue();
        if (kept.isPresent() && n.triggeredAt().isBefore(kept.get().lastFailureAt())) {
            return new Step(memory, "comment " + kept.get().id() + " stays: it reports a newer run");
        }
        if (!failed && kept.isEmpty() && !memory.notified().isEmpty()) {
            return new Step(memory, "no comment to update");
        }
        String body = failed ? texts.requestFailing(n) : texts.requestPassing(n);
        if (kept.isPresent()) {
            RequestComments.CommentRef ref = new RequestComments.CommentRef(kept.get().id(), kept.get().url());
            if (updated(forge, n, ref, body, retrier)) {
                return new Step(remembered(memory, ref, n), "updated comment " + ref.id());
            }
            memory = memory.withoutIssue();
        }
        Optional<RequestComments.FoundComment> found =
                retrier.call(() -> forge.findOwn(n.repository(), n.request(), IssueMarker.of(n)));
        if (found.isPresent()) {
            RequestComments.CommentRef ref = found.get().ref();
            if (found.get().marker().openedFor(n)) {
                return new Step(remembered(memory, ref, n), "comment " + ref.id() + " already reports this event");
            }
            if (updated(forge, n, ref, body, retrier)) {
                return new Step(remembered(memory, ref, n), "updated comment " + ref.id() + " (found on the forge)");
            }
        }
        if (!failed) {
            return new Step(memory, "no comment to update");
        }
        RequestComments.CommentRef posted = retrier.call(() -> forge.post(n.repository(), n.request(), body));
        ChannelMemory withComment = remembered(memory, posted, n);
        memories.save(channel, n.repository(), n.subject(), withComment);
        return new Step(withComment, "posted comment " + posted.id());
    }

    /** Updates a comment; false when it is gone (deleted by someone). */
    private static boolean updated(RequestComments forge, Notification n, RequestComments.CommentRef ref, String body,
                                   Retrier retrier) {
        try {
            retrier.run(() -> forge.update(n.repository(), n.request(), ref, body));
            return true;
        } catch (NotificationRejected e) {
            if (e.isGone()) {
                return false;
            }
            throw e;
        }
    }

    private static ChannelMemory remembered(ChannelMemory memory, RequestComments.CommentRef ref, Notification n) {
        return memory.withIssue(new ChannelMemory.OpenIssue(ref.id(), ref.url(), n.triggeredAt()));
    }

    private Step trackIssue(ChannelId channel, IssueTracker tracker, Notification n, ChannelMemory memory,
                            Retrier retrier) {
        var open = memory.issue();
        if (n.kind() == EventKind.FAILED) {
            if (open.isPresent()) {
                Optional<Step> commented = reportAgain(tracker, n, memory, open.get(), retrier, "");
                if (commented.isPresent()) {
                    return commented.get();
                }
            }
            Optional<IssueTracker.FoundIssue> found =
                    retrier.call(() -> tracker.findOpen(n.repository(), IssueMarker.of(n)));
            if (found.isPresent()) {
                IssueTracker.IssueRef ref = found.get().ref();
                ChannelMemory.OpenIssue adopted = new ChannelMemory.OpenIssue(ref.id(), ref.url(), n.triggeredAt());
                if (found.get().marker().openedFor(n)) {
                    return new Step(memory.withIssue(adopted),
                            "adopted issue " + ref.id() + " (it was opened for this event)");
                }
                Optional<Step> commented = reportAgain(tracker, n, memory, adopted, retrier, " (found on the forge)");
                if (commented.isPresent()) {
                    return commented.get();
                }
            }
            IssueTracker.IssueRef issue =
                    retrier.call(() -> tracker.open(n.repository(), texts.issueTitle(n), texts.issueBody(n)));
            ChannelMemory opened =
                    memory.withIssue(new ChannelMemory.OpenIssue(issue.id(), issue.url(), n.triggeredAt()));
            memories.save(channel, n.repository(), n.subject(), opened);
            return new Step(opened, "opened issue " + issue.id());
        }
        if (n.kind() != EventKind.PUBLISHED || open.isEmpty()) {
            return new Step(memory, "no issue to update");
        }
        if (n.triggeredAt().isBefore(open.get().lastFailureAt())) {
            return new Step(memory, "issue " + open.get().id() + " stays open: it reports a newer failure");
        }
        IssueTracker.IssueRef issue = new IssueTracker.IssueRef(open.get().id(), open.get().url());
        try {
            retrier.run(() -> tracker.comment(n.repository(), issue, texts.recovered(n)));
            retrier.run(() -> tracker.close(n.repository(), issue));
        } catch (NotificationRejected e) {
            if (!e.isGone()) {
                throw e;
            }
        }
        return new Step(memory.withoutIssue(), "closed issue " + issue.id());
    }

    /** Comments a repeated failure on the issue; empty when the issue is gone (deleted or transferred). */
    private Optional<Step> reportAgain(IssueTracker tracker, Notification n, ChannelMemory memory,
                                       ChannelMemory.OpenIssue open, Retrier retrier, String how) {
        IssueTracker.IssueRef issue = new IssueTracker.IssueRef(open.id(), open.url());
        try {
            retrier.run(() -> tracker.comment(n.repository(), issue, texts.repeatedFailure(n)));
        } catch (NotificationRejected e) {
            if (e.isGone()) {
                return Optional.empty();
            }
            throw e;
        }
        Instant latest = n.triggeredAt().isAfter(open.lastFailureAt()) ? n.triggeredAt() : open.lastFailureAt();
        return Optional.of(new Step(memory.withIssue(new ChannelMemory.OpenIssue(issue.id(), issue.url(), latest)),
                "commented on issue " + issue.id() + how));
    }

    private static <T> T require(Map<ChannelId, T> adapters, ChannelId channel) {
        T adapter = adapters.get(channel);
        if (adapter == null) {
            throw new IllegalStateException("channel " + channel + " is not configured (any more)");
        }
        return adapter;
    }
}
