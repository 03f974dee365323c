package io.slipway.common.kafka;

import io.slipway.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Creates topics explicitly (broker auto-creation stays off), each with its dead-letter topic, and waits for the
 * broker while it is still starting. Existing topics are left as they are.
 */
public final class TopicInitializer {

    private static final Logger LOG = LoggerFactory.getLogger(TopicInitializer.class);

    private final Admin admin;
    private final int partitions;
    private final short replicationFactor;

    public TopicInitializer(Admin admin, int partitions, short replicationFactor) {
        this.admin = admin;
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
    }

    /**
     * Ensures every topic and its {@code .dlq} exists.
     *
     * @throws IllegalStateException naming the topics when the broker cannot be reached before the deadline
     */
    public void ensureTopics(Collection<String> topics, Duration deadline) {
        List<NewTopic> wanted = new ArrayList<>();
        for (String topic : topics) {
            wanted.add(new NewTopic(topic, partitions, replicationFactor));
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
                }
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topics", e);
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                last = e;
                LOG.warn("Kafka not reachable yet ({}); retrying", e.getMessage());
            }
        }
        throw new IllegalStateException("Could not create topics " + topics + " within " + deadline
                + ": Kafka is not reachable (check kafka.bootstrap.servers / KAFKA_BOOTSTRAP_SERVERS)", last);
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
}
