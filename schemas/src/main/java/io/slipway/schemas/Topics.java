package io.slipway.schemas;

import io.slipway.events.ArtifactPublished;
import io.slipway.events.BuildFailed;
import io.slipway.events.CommitReceived;
import io.slipway.events.Deployed;
import io.slipway.events.ImageBuilt;
import io.slipway.events.LogChunk;
import io.slipway.events.TestReport;
import io.slipway.events.TestsPassed;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;

/**
 * The one place that names every Kafka topic of the pipeline and the event it carries. The record key of every
 * pipeline topic is the repository full name ({@code owner/name}), so one repository's runs stay in order on one
 * partition; only the {@linkplain #RUN_STREAMS run streams} (logs and test reports) are keyed by run id.
 */
public final class Topics {

    /** {@code CommitReceived}, produced by trigger-service. */
    public static final String COMMITS = "slipway.commits";
    /** {@code ImageBuilt}, produced by builder-service. */
    public static final String IMAGES = "slipway.images";
    /** {@code TestsPassed}, produced by tester-service. */
    public static final String TESTS = "slipway.tests";
    /** {@code ArtifactPublished}, produced by deliverer-service. */
    public static final String ARTIFACTS = "slipway.artifacts";
    /** {@code Deployed}, produced by deployer-service: every change of what runs in an environment. */
    public static final String DEPLOYMENTS = "slipway.deployments";
    /** {@code BuildFailed}, produced by every stage. */
    public static final String FAILURES = "slipway.failures";
    /**
     * {@code RequestState} per pull or merge request (compacted, key {@code <repository>#<number>}), written by
     * trigger-service; builder and tester read it to drop or cancel the work of a superseded or closed request.
     */
    public static final String REQUESTS = "slipway.requests";
    /** {@code LogChunk}: the masked build log of each run attempt, streamed in batches by builder-service; key run id. */
    public static final String LOGS = "slipway.logs";
    /** {@code TestReport}: the JUnit XML report of each run attempt's tests, written by tester-service; key run id. */
    public static final String REPORTS = "slipway.reports";

    /**
     * trigger-service's own intake: accepted pushes ({@code CommitReceived} candidates), keyed like
     * {@link #COMMITS} and with the same partition count, so the single owner of a partition decides which
     * candidates become runs. Internal to trigger-service; nothing else consumes it.
     */
    public static final String TRIGGER_INTAKE = "slipway.trigger.intake";

    /**
     * notifier-service's queue: one JSON record per notification and channel, keyed by repository full name, header
     * {@code slipway.notifier.channel}; each channel consumes it with its own group. Its {@code .dlq} holds the
     * notifications a channel rejected, with the response.
     */
    public static final String NOTIFIER_DELIVERIES = "slipway.notifier.deliveries";

    /**
     * notifier-service's memory (compacted): per channel, repository and branch, the event ids already notified and
     * the issue open for the branch, as JSON keyed {@code <channel>|<repository>|<branch>}.
     */
    public static final String NOTIFIER_STATE = "slipway.notifier.state";

    /**
     * deliverer-service's own state: which run each release tag belongs to and which run attempts were already
     * delivered, as JSON strings keyed by tag or run. Compacted; internal to deliverer-service; nothing else
     * consumes it.
     */
    public static final String DELIVERER_STATE = "slipway.deliverer.state";

    /**
     * deployer-service's memory (compacted): Avro {@code EnvironmentState} keyed {@code <environment>|<repository>}: what
     * runs there, the earlier digests (rollback targets) and the promotion waiting to go there. Written by
     * deployer-service only; {@code ./slipway envs} reads it.
     */
    public static final String DEPLOYER_STATE = "slipway.deployer.state";

    /**
     * The topics that are a service's memory rather than a stream of events: created with
     * {@code cleanup.policy=compact}, so the latest record of each key is kept forever. Their dead-letter topics are not
     * compacted. Where the platform team manages topics, it must create these compacted.
     */
    public static final Set<String> COMPACTED = Set.of(DELIVERER_STATE, NOTIFIER_STATE, REQUESTS, DEPLOYER_STATE);

    /** Suffix of the dead-letter topic that receives the records a consumer of a topic could not process. */
    public static final String DEAD_LETTER_SUFFIX = ".dlq";

    /** A pipeline topic and the generated Avro class of the event it carries; the key is the repository full name. */
    public record EventTopic(String topic, Class<? extends SpecificRecord> eventType) {
        public EventTopic {
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(eventType, "eventType");
        }
    }

    /** Every pipeline topic with its event, in pipeline order (failures last). */
    public static final List<EventTopic> PIPELINE = List.of(
            new EventTopic(COMMITS, CommitReceived.class),
            new EventTopic(IMAGES, ImageBuilt.class),
            new EventTopic(TESTS, TestsPassed.class),
            new EventTopic(ARTIFACTS, ArtifactPublished.class),
            new EventTopic(DEPLOYMENTS, Deployed.class),
            new EventTopic(FAILURES, BuildFailed.class));

    /**
     * The topics that carry what one run attempt produced besides its events (build log chunks, test reports), keyed by
     * run id rather than repository; dashboard-service reads them. Not in {@link #PIPELINE}: no stage consumes them.
     */
    public static final List<EventTopic> RUN_STREAMS = List.of(
            new EventTopic(LOGS, LogChunk.class),
            new EventTopic(REPORTS, TestReport.class));

    private Topics() {
    }

    /** The names of all pipeline topics, in pipeline order; excludes the {@linkplain #RUN_STREAMS run streams}. */
    public static List<String> pipelineTopics() {
        return PIPELINE.stream().map(EventTopic::topic).toList();
    }

    /** Every topic a Slipway deployment creates (each also gets a dead-letter topic): pipeline and internal. */
    public static List<String> allTopics() {
        return java.util.stream.Stream.concat(pipelineTopics().stream(), java.util.stream.Stream.of(LOGS, REPORTS,
                TRIGGER_INTAKE, REQUESTS, DELIVERER_STATE, NOTIFIER_DELIVERIES, NOTIFIER_STATE, DEPLOYER_STATE)).toList();
    }

    /** The event class a pipeline topic or run stream carries, or empty for any other topic. */
    public static Optional<Class<? extends SpecificRecord>> eventType(String topic) {
        return java.util.stream.Stream.concat(PIPELINE.stream(), RUN_STREAMS.stream()).filter(t -> t.topic().equals(topic)).<Class<? extends SpecificRecord>>map(EventTopic::eventType).findFirst();
    }

    /** The pipeline topic that carries an event class; throws {@link IllegalArgumentException} for any other class. */
    public static String topicOf(Class<? extends SpecificRecord> eventType) {
        return PIPELINE.stream().filter(t -> t.eventType().equals(eventType)).map(EventTopic::topic).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(eventType.getName() + " is not carried by any pipeline topic"));
    }

    /** The dead-letter topic of a topic: {@code <topic>.dlq}. */
    public static String deadLetter(String topic) {
        return requireTopic(topic) + DEAD_LETTER_SUFFIX;
    }

    /** The schema registry subject of a topic's record values (Confluent TopicNameStrategy): {@code <topic>-value}. */
    public static String valueSubject(String topic) {
        return requireTopic(topic) + "-value";
    }

    /** The schema registry subject of a topic's record keys (Confluent TopicNameStrategy): {@code <topic>-key}. */
    public static String keySubject(String topic) {
        return requireTopic(topic) + "-key";
    }

    private static String requireTopic(String topic) {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("topic must not be blank");
        }
        return topic;
    }
}
