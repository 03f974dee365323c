package io.slipway.common.kafka;

import io.slipway.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Creates topics explicitly (broker auto-creation stays off), each with its dead-letter topic, and waits for the
 * broker while it is still starting. A topic named compacted ({@link Topics#COMPACTED} by default) is created with
 * {@code cleanup.policy=compact}, and made compacted if it already exists without; its dead-letter topic is not.
 * Other existing topics are left as they are.
 */
public final class TopicInitializer {

    private static final Logger LOG = LoggerFactory.getLogger(TopicInitializer.class);
    private static final Duration VISIBILITY_POLL = Duration.ofMillis(50);
    private static final Map<String, String> COMPACT = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG,
            TopicConfig.CLEANUP_POLICY_COMPACT);

    private final Admin admin;
    private final int partitions;
    private final short replicationFactor;

    public TopicInitializer(Admin admin, int partitions, short replicationFactor) {
        this.admin = admin;
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
    }

    /**
     * Ensures every topic and its {@code .dlq} exists, those in {@link Topics#COMPACTED} compacted.
     *
     * @throws IllegalStateException naming the topics when the broker cannot be reached before the deadline
     */
    public void ensureTopics(Collection<String> topics, Duration deadline) {
        ensureTopics(topics, Topics.COMPACTED, deadline);
    }

    /**
     * Ensures every topic and its {@code .dlq} exists, those among {@code compacted} compacted.
     *
     * @throws IllegalStateException naming the topics when the broker cannot be reached before the deadline
     */
    public void ensureTopics(Collection<String> topics, Set<String> compacted, Duration deadline) {
        List<NewTopic> wanted = new ArrayList<>();
        for (String topic : topics) {
            NewTopic newTopic = new NewTopic(topic, partitions, replicationFactor);
            wanted.add(compacted.contains(topic) ? newTopic.configs(COMPACT) : newTopic);
            wanted.add(new NewTopic(Topics.deadLetter(topic), partitions, replicationFactor));
        }
        Instant until = Instant.now().plus(deadline);
        Exception last = null;
        while (Instant.now().isBefore(until)) {
            try {
                var existing = admin.listTopics().names().get(5, TimeUnit.SECONDS);
                List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t.name())).toList();
                if (!missing.isEmpty()) {
                    createAll(missing);
                    LOG.info("Created topics {}", missing.stream().map(NewTopic::name).toList());
                    awaitVisible(missing.stream().map(NewTopic::name).toList(), until);
                }
                compact(topics.stream().filter(t -> compacted.contains(t) && existing.contains(t)).toList());
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topics", e);
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                if (e.getCause() instanceof AuthorizationException || e.getCause() instanceof AuthenticationException) {
                    throw refused(topics, compacted, e.getCause());
                }
                last = e;
                LOG.warn("Kafka not reachable yet ({}); retrying", e.getMessage());
            }
        }
        throw new IllegalStateException("Could not create topics " + topics + " within " + deadline
                + ": Kafka is not reachable (check kafka.bootstrap.servers / KAFKA_BOOTSTRAP_SERVERS)", last);
    }

    /** Waiting does not help when the broker refused: say so at once, and what to do where services may not create topics. */
    private static IllegalStateException refused(Collection<String> topics, Set<String> compacted, Throwable cause) {
        return new IllegalStateException("Kafka refused to create topics " + topics + ": " + cause.getMessage()
                + ". Where services may not create topics (a cluster with ACLs), create each topic and its .dlq beforehand"
                + (compacted.isEmpty() ? "" : " (" + compacted.stream().sorted().toList() + " compacted)")
                + " and set slipway.kafka.create-topics=false (SLIPWAY_KAFKA_CREATE_TOPICS=false); check the login "
                + "(KAFKA_SASL_JAAS_CONFIG and the other KAFKA_* settings) if Kafka refused it.", cause);
    }

    private void createAll(List<NewTopic> missing) throws InterruptedException, ExecutionException,
            java.util.concurrent.TimeoutException {
        var result = admin.createTopics(missing);
        for (var future : result.values().values()) {
            try {
                future.get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                // Another instance created it between our listing and our request: that is the state we want.
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }

    /**
     * Waits until the broker's metadata shows the created topics: the controller acknowledges a creation before every
     * broker's metadata cache has it, and a describe or subscribe in that moment answers "unknown topic".
     */
    private void awaitVisible(List<String> created, Instant until) throws InterruptedException, ExecutionException,
            java.util.concurrent.TimeoutException {
        while (true) {
            try {
                admin.describeTopics(created).allTopicNames().get(5, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || !Instant.now().isBefore(until)) {
                    throw e;
                }
                Thread.sleep(VISIBILITY_POLL.toMillis());
            }
        }
    }

    /** Sets {@code cleanup.policy=compact} on those of the existing topics that have another policy. */
    private void compact(List<String> existing) throws InterruptedException, ExecutionException,
            java.util.concurrent.TimeoutException {
        if (existing.isEmpty()) {
            return;
        }
        List<ConfigResource> resources = existing.stream()
                .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
        AlterConfigOp compact = new AlterConfigOp(new ConfigEntry(TopicConfig.CLEANUP_POLICY_CONFIG,
                TopicConfig.CLEANUP_POLICY_COMPACT), AlterConfigOp.OpType.SET);
        Map<ConfigResource, Collection<AlterConfigOp>> alter = configs.entrySet().stream()
                .filter(e -> !isCompact(e.getValue()))
                .collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(compact)));
        if (!alter.isEmpty()) {
            admin.incrementalAlterConfigs(alter).all().get(30, TimeUnit.SECONDS);
            LOG.info("Made topics {} compacted", alter.keySet().stream().map(ConfigResource::name).toList());
        }
    }

    private static boolean isCompact(Config config) {
        ConfigEntry policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
        return policy != null && TopicConfig.CLEANUP_POLICY_COMPACT.equals(policy.value());
    }
}
