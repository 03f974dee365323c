package io.slipway.deliverer.messaging;

import io.slipway.events.ArtifactPublished;
import io.slipway.events.ChangeRequest;
import io.slipway.events.Commit;
import io.slipway.events.DeployIntent;
import io.slipway.events.ImageReference;
import io.slipway.events.Repository;
import io.slipway.events.RunContext;
import io.slipway.events.SmokeCheck;
import io.slipway.events.TestsPassed;
import io.slipway.schemas.RunIds;
import io.slipway.schemas.SampleEvents;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The runs the deliverer's Kafka tests send: {@code TestsPassed} of fresh repositories {@code test/<prefix>-<id>},
 * whose images were staged under their own name, {@code staging/test/<prefix>-<id>}.
 */
final class DeliveryRuns {

    private DeliveryRuns() {
    }

    static String sha() {
        byte[] sha = new byte[20];
        ThreadLocalRandom.current().nextBytes(sha);
        return HexFormat.of().formatHex(sha);
    }

    static String repository(String prefix) {
        return "test/" + prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The image name of a repository, its own: {@code test/app-1} is staged as {@code staging/test/app-1}. */
    static String image(String repository) {
        return repository;
    }

    /**
     * The tester's verdict on commit {@code sha} at {@code ref}, whose image was staged in {@code staging}; the
     * trigger accepted the pushes in the order of their commits.
     */
    static TestsPassed testsPassed(String repository, String sha, String ref, Instant committedAt, String staging,
                                   String digest) {
        return testsPassed(repository, sha, ref, committedAt, committedAt.toEpochMilli(), staging,
                "staging/" + image(repository), digest);
    }

    /** The repository's deploy intent every run carries, which its {@code ArtifactPublished} must carry on unchanged. */
    static final DeployIntent DEPLOY_INTENT = DeployIntent.newBuilder().setEnvironments(List.of("staging"))
            .setSmoke(List.of(SmokeCheck.newBuilder().setPath("/health").setContains("ok").build())).build();

    /** As above, accepted with {@code sequence} and staged as {@code stagedRepository}. */
    static TestsPassed testsPassed(String repository, String sha, String ref, Instant committedAt, long sequence,
                                   String staging, String stagedRepository, String digest) {
        RunContext sample = SampleEvents.run();
        RunContext run = RunContext.newBuilder(sample)
                .setRunId(RunIds.runId(repository, sha, ref))
                .setRepository(Repository.newBuilder(sample.getRepository()).setFullName(repository).build())
                .setCommit(Commit.newBuilder(sample.getCommit()).setSha(sha).setRef(ref).setTimestamp(committedAt).build())
                .setTriggeredAt(committedAt.plusSeconds(3))
                .setAcceptedSequence(sequence)
                .build();
        return TestsPassed.newBuilder(SampleEvents.testsPassed())
                .setEventId(UUID.randomUUID().toString())
                .setRun(run)
                .setImage(ImageReference.newBuilder().setRegistry(staging)
                        .setRepository(stagedRepository).setTag(sha.substring(0, 12)).setDigest(digest).build())
                .setDeploy(DEPLOY_INTENT)
                .build();
    }

    /** {@code run} as a run of pull request {@code number} into {@code targetBranch}, from a branch of the repository. */
    static TestsPassed ofRequest(TestsPassed run, int number, String targetBranch) {
        RunContext context = run.getRun();
        ChangeRequest request = ChangeRequest.newBuilder()
                .setNumber(number).setKind("pull").setSourceBranch("feature/x").setTargetBranch(targetBranch)
                .setSourceRepository(context.getRepository().getFullName()).setAuthor("mona").setFromFork(false)
                .setHeadSha(context.getCommit().getSha()).setMergeResult(false)
                .setWebUrl("https://git.example.com/" + context.getRepository().getFullName() + "/pull/" + number)
                .build();
        return TestsPassed.newBuilder(run).setRun(RunContext.newBuilder(context).setRequest(request).build()).build();
    }

    /** The one of {@code events} that is about {@code run}. */
    static ArtifactPublished publishedOf(List<ArtifactPublished> events, TestsPassed run) {
        return events.stream().filter(e -> e.getRun().getRunId().equals(run.getRun().getRunId())).findFirst().orElseThrow();
    }
}
