package io.slipway.notifier;

import io.slipway.notifier.domain.Artifact;
import io.slipway.notifier.domain.ChangeRequest;
import io.slipway.notifier.domain.Deployment;
import io.slipway.notifier.domain.EventKind;
import io.slipway.notifier.domain.Notification;
import io.slipway.schemas.RunIds;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Notifications for tests: one run of {@code octo-org/hello-service} on {@code main}, varied by kind and time. */
public final class Samples {

    public static final String REPOSITORY = "octo-org/hello-service";
    public static final String SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
    public static final Instant T0 = Instant.parse("2025-03-14T09:27:01.250Z");
    public static final String DIGEST = "sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7";
    public static final String PREVIOUS_DIGEST = "sha256:0d5e3bd1c0a4a4ed2e0c0f2b8d7e3c4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e";
    public static final String URL = "http://127.0.0.1:18080/";

    private Samples() {
    }

    public static Notification failed(String repository, String branch, Instant triggeredAt) {
        return notification(EventKind.FAILED, repository, branch, triggeredAt);
    }

    public static Notification published(String repository, String branch, Instant triggeredAt) {
        return notification(EventKind.PUBLISHED, repository, branch, triggeredAt);
    }

    /** Pull request #12 of {@code repository} from {@code feature/login} into {@code main}, maybe from a fork. */
    public static ChangeRequest pullRequest(String repository, boolean fromFork) {
        return new ChangeRequest(12, ChangeRequest.Kind.PULL, "feature/login", "main",
                fromFork ? "mallory/hello-service" : repository, "monalisa", fromFork, SHA,
                "https://github.com/" + repository + "/pull/12");
    }

    /** A notification of a run of {@code request} (its head ref), for {@code reasonCode} when it failed. */
    public static Notification ofRequest(EventKind kind, String repository, ChangeRequest request, String reasonCode,
                                         Instant triggeredAt) {
        Notification n = notification(kind, repository, "main", triggeredAt);
        String ref = request.kind() == ChangeRequest.Kind.MERGE ? "refs/merge-requests/" + request.number() + "/head"
                : "refs/pull/" + request.number() + "/head";
        return new Notification(n.eventId(), kind, RunIds.runId(repository, request.headSha(), ref), 1, repository,
                n.repositoryUrl(), ref, request.headSha(), n.commitTitle(), n.author(),
                kind == EventKind.PASSED ? "TEST" : n.stage(), reasonCode, n.message(), n.logExcerpt(), null,
                triggeredAt, n.occurredAt(), request);
    }

    /** {@code main} of {@code repository} deployed to {@code environment}, answering at {@link #URL}. */
    public static Notification deployed(String repository, String environment, Instant triggeredAt) {
        return deployment(EventKind.DEPLOYED, repository, triggeredAt,
                new Deployment(environment, "DOCKER", URL, PREVIOUS_DIGEST, false, null, null));
    }

    /** {@code main} of {@code repository} restored in {@code environment} after run {@code r-taken-out} failed its smoke checks. */
    public static Notification rolledBack(String repository, String environment, Instant triggeredAt) {
        return deployment(EventKind.ROLLED_BACK, repository, triggeredAt,
                new Deployment(environment, "DOCKER", URL, DIGEST, true, "r-taken-out", "SMOKE_FAILED"));
    }

    /** Deploying {@code main} of {@code repository} to {@code environment} failed its smoke checks. */
    public static Notification deployFailed(String repository, String environment, Instant triggeredAt) {
        Notification n = notification(EventKind.FAILED, repository, "main", triggeredAt);
        return new Notification(n.eventId(), n.kind(), n.runId(), 1, repository, n.repositoryUrl(), n.ref(), n.sha(),
                n.commitTitle(), n.author(), "DEPLOY", "SMOKE_FAILED", "GET / answered 500, expected 200; rolled back",
                null, null, triggeredAt, n.occurredAt(), null, Deployment.failed(environment));
    }

    private static Notification deployment(EventKind kind, String repository, Instant triggeredAt, Deployment d) {
        Notification n = notification(kind, repository, "main", triggeredAt);
        return new Notification(n.eventId(), kind, n.runId(), 1, repository, n.repositoryUrl(), n.ref(), n.sha(),
                n.commitTitle(), n.author(), "DEPLOY", null, null, null,
                new Artifact("CONTAINER", "registry.example.com", "release/hello-service", DIGEST, List.of()),
                triggeredAt, n.occurredAt(), null, d);
    }

    public static Notification notification(EventKind kind, String repository, String branch, Instant triggeredAt) {
        boolean failed = kind == EventKind.FAILED || kind == EventKind.CANCELLED;
        String stage = switch (kind) {
            case STARTED -> "TRIGGER";
            case PUBLISHED -> "DELIVER";
            default -> "BUILD";
        };
        return new Notification(UUID.randomUUID().toString(), kind,
                RunIds.runId(repository, SHA, "refs/heads/" + branch), 1, repository, "https://github.com/" + repository, "refs/heads/" + branch, SHA,
                "Fix all the bugs", "Mona Lisa Octocat", stage,
                kind == EventKind.CANCELLED ? "SUPERSEDED" : failed ? "BUILD_ERROR" : null,
                failed ? "The Dockerfile step RUN make failed with exit code 2." : null,
                failed ? "step 4/7 : RUN make\nmake: *** [Makefile:12: all] Error 2" : null,
                kind == EventKind.PUBLISHED ? new Artifact("CONTAINER", "registry.example.com", "release/hello-service",
                        DIGEST, List.of(SHA, "main", "latest")) : null,
                triggeredAt, triggeredAt.plusSeconds(30));
    }
}
