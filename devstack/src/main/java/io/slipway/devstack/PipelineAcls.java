package io.slipway.devstack;

import io.slipway.devstack.registry.SchemaRegistryServer;
import io.slipway.schemas.Topics;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Who may do what on a secured Slipway cluster, as Kafka ACLs (everything not listed is denied): each stage writes
 * only the topic it produces, {@code slipway.failures} and the dead-letter topics of what it consumes, reads only its
 * inputs and the topics its own state lives in, and joins only consumer groups named after it; {@code ops} reads every
 * pipeline topic and every dead-letter topic; {@code dashboard} reads every pipeline topic, the run streams (logs, test
 * reports) and the deployer's state, and writes nothing but their dead-letter topics; {@code schema-registry} creates,
 * reads and writes {@code _schemas} (its log, read by partition, so no group) and nothing else. A service's own internal topics ({@code slipway.<stage>.*}) are granted
 * by prefix, so a state topic added to {@link Topics} needs no new rule. WRITE implies DESCRIBE, and since Kafka 3.0
 * the idempotent producer needs nothing more than WRITE on a topic. Each stage that consumes and produces (every one
 * but {@code dashboard}) commits its outputs and offsets in Kafka transactions whose ids start with its consumer
 * group, so it gets WRITE and DESCRIBE on the {@code TransactionalId}s with that prefix and on no other: a stage
 * cannot take, and so fence, another stage's transactions.
 */
public final class PipelineAcls {

    /** Consumer groups of {@code ops} and the tools it runs start with this. */
    public static final String OPS_GROUP_PREFIX = "ops-";

    private PipelineAcls() {
    }

    /** A rule of the table, for the docs and the tests: principal, operation, resource, pattern. */
    public record Grant(String principal, AclOperation operation, ResourceType type, String name, PatternType pattern) {

        AclBinding binding() {
            return new AclBinding(new ResourcePattern(type, name, pattern),
                    new AccessControlEntry("User:" + principal, "*", operation, AclPermissionType.ALLOW));
        }
    }

    /** Every grant, principal by principal in {@link KafkaCredentials#PRINCIPALS} order ({@code admin} is super user). */
    public static List<Grant> grants() {
        List<Grant> grants = new ArrayList<>();
        stage(grants, "trigger", List.of(Topics.COMMITS, Topics.REQUESTS), List.of(Topics.COMMITS, Topics.REQUESTS),
                "slipway.trigger.", "trigger-service", true);
        stage(grants, "builder", List.of(Topics.IMAGES, Topics.LOGS), List.of(Topics.COMMITS, Topics.REQUESTS), null,
                "builder-service", true);
        stage(grants, "tester", List.of(Topics.TESTS, Topics.REPORTS), List.of(Topics.IMAGES, Topics.REQUESTS), null,
                "tester-service", true);
        stage(grants, "deliverer", List.of(Topics.ARTIFACTS), List.of(Topics.TESTS), "slipway.deliverer.",
                "deliverer-service", true);
        stage(grants, "notifier", List.of(), List.of(Topics.COMMITS, Topics.TESTS, Topics.FAILURES, Topics.ARTIFACTS,
                        Topics.DEPLOYMENTS), "slipway.notifier.", "notifier-service", true);
        stage(grants, "deployer", List.of(Topics.DEPLOYMENTS), List.of(Topics.ARTIFACTS), "slipway.deployer.",
                "deployer-service", true);
        stage(grants, "dashboard", List.of(), java.util.stream.Stream.of(Topics.pipelineTopics(),
                        List.of(Topics.LOGS, Topics.REPORTS, Topics.DEPLOYER_STATE)).flatMap(List::stream).toList(),
                null, "dashboard-service", false);
        for (AclOperation operation : List.of(AclOperation.CREATE, AclOperation.READ, AclOperation.WRITE)) {
            grants.add(topic(KafkaCredentials.SCHEMA_REGISTRY, operation, SchemaRegistryServer.TOPIC));
        }
        Stream.concat(Stream.concat(Topics.pipelineTopics().stream(), Stream.of(Topics.REQUESTS, Topics.DEPLOYER_STATE)),
                        Topics.allTopics().stream().map(Topics::deadLetter))
                .forEach(topic -> grants.add(topic(KafkaCredentials.OPS, AclOperation.READ, topic)));
        grants.add(new Grant(KafkaCredentials.OPS, AclOperation.READ, ResourceType.GROUP, OPS_GROUP_PREFIX,
                PatternType.PREFIXED));
        return List.copyOf(grants);
    }

    /** The grants as Kafka ACL bindings. */
    public static List<AclBinding> bindings() {
        return grants().stream().map(Grant::binding).toList();
    }

    /**
     * A stage: WRITE on what it produces and on {@code slipway.failures} (the notifier, which reports failures but
     * emits none, gets no failures write); READ on its inputs and WRITE on their {@code .dlq}; READ and WRITE on its
     * own {@code internalPrefix} topics (state, intake, queues and their dead letters); READ on groups that start
     * with its service name (a listener's group and the notifier's per-channel groups); when {@code transactional},
     * WRITE and DESCRIBE on the transactional ids that start with that name too.
     */
    private static void stage(List<Grant> grants, String principal, List<String> produces, List<String> consumes,
                              String internalPrefix, String groupPrefix, boolean transactional) {
        for (String topic : produces) {
            grants.add(topic(principal, AclOperation.WRITE, topic));
        }
        if (!produces.isEmpty()) {
            grants.add(topic(principal, AclOperation.WRITE, Topics.FAILURES));
        }
        for (String topic : consumes) {
            grants.add(topic(principal, AclOperation.READ, topic));
            grants.add(topic(principal, AclOperation.WRITE, Topics.deadLetter(topic)));
        }
        if (internalPrefix != null) {
            for (AclOperation operation : List.of(AclOperation.READ, AclOperation.WRITE)) {
                grants.add(new Grant(principal, operation, ResourceType.TOPIC, internalPrefix, PatternType.PREFIXED));
            }
        }
        grants.add(new Grant(principal, AclOperation.READ, ResourceType.GROUP, groupPrefix, PatternType.PREFIXED));
        if (transactional) {
            for (AclOperation operation : List.of(AclOperation.WRITE, AclOperation.DESCRIBE)) {
                grants.add(new Grant(principal, operation, ResourceType.TRANSACTIONAL_ID, groupPrefix,
                        PatternType.PREFIXED));
            }
        }
        // Micronaut's Kafka health check reads the broker's configuration (replication factors).
        grants.add(new Grant(principal, AclOperation.DESCRIBE_CONFIGS, ResourceType.CLUSTER, "kafka-cluster",
                PatternType.LITERAL));
    }

    private static Grant topic(String principal, AclOperation operation, String topic) {
        return new Grant(principal, operation, ResourceType.TOPIC, topic, PatternType.LITERAL);
    }
}
