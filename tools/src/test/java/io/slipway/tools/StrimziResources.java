package io.slipway.tools;

import io.slipway.devstack.KafkaCredentials;
import io.slipway.devstack.PipelineAcls;
import io.slipway.devstack.registry.SchemaRegistryServer;
import io.slipway.schemas.Topics;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;

import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Writes the Strimzi resources of the Kubernetes manifests from the lists the code keeps: a {@code KafkaTopic} for every
 * topic of {@link Topics#allTopics()} and its dead-letter topic (the state topics compacted, as the dev stack creates
 * them), and a {@code KafkaUser} per principal of {@link KafkaCredentials#PRINCIPALS} but the super user, with the ACLs
 * of {@link PipelineAcls} in Strimzi's {@code simple} authorization. The schema registry's {@code _schemas} topic is
 * made here too (one partition, compacted, as the registry would make it, but replicated), since the registry itself
 * would create it with one replica. The committed files must equal this output.
 */
final class StrimziResources {

    /** The Strimzi {@code Kafka} cluster the resources belong to (label {@code strimzi.io/cluster}). */
    static final String CLUSTER = "slipway";
    static final int PARTITIONS = 6;
    static final int REPLICAS = 3;
    static final String TOPICS_FILE = "deploy/kubernetes/base/kafka/topics.yaml";
    static final String USERS_FILE = "deploy/kubernetes/base/kafka/users.yaml";

    private static final String HEADER = "# Generated from the code's own lists by StrimziResources (tools module tests);"
            + " a test fails when it\n# differs. Do not edit: change the code and copy the file the test writes under"
            + " tools/target/kubernetes/.\n";

    private StrimziResources() {
    }

    /** The principals that get a {@code KafkaUser}: all but {@code admin}, the cluster's super user. */
    static List<String> principals() {
        return KafkaCredentials.PRINCIPALS.stream().filter(p -> !p.equals(KafkaCredentials.ADMIN)).toList();
    }

    /** Every topic with its dead-letter topic, in {@link Topics#allTopics()} order. */
    static List<String> topicNames() {
        return Topics.allTopics().stream().flatMap(t -> Stream.of(t, Topics.deadLetter(t))).toList();
    }

    static String topics() {
        StringBuilder yaml = new StringBuilder(HEADER);
        for (String topic : topicNames()) {
            topic(yaml, topic, topic, PARTITIONS, Topics.COMPACTED.contains(topic));
        }
        topic(yaml, "schemas", SchemaRegistryServer.TOPIC, 1, true);
        return yaml.toString();
    }

    private static void topic(StringBuilder yaml, String name, String topic, int partitions, boolean compacted) {
        yaml.append("---\napiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaTopic\nmetadata:\n  name: ").append(name)
                .append("\n  labels: {strimzi.io/cluster: ").append(CLUSTER).append("}\nspec:\n  topicName: ")
                .append(topic).append("\n  partitions: ").append(partitions).append("\n  replicas: ").append(REPLICAS)
                .append("\n  config:\n    min.insync.replicas: 2\n");
        if (compacted) {
            yaml.append("    cleanup.policy: compact\n");
        }
    }

    static String users() {
        StringBuilder yaml = new StringBuilder(HEADER);
        for (String principal : principals()) {
            yaml.append("---\napiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaUser\nmetadata:\n  name: ").append(principal)
                    .append("\n  labels: {strimzi.io/cluster: ").append(CLUSTER).append("}\nspec:\n")
                    .append("  authentication: {type: scram-sha-512}\n  authorization:\n    type: simple\n    acls:\n");
            PipelineAcls.grants().stream().filter(g -> g.principal().equals(principal))
                    .forEach(grant -> yaml.append(acl(grant)));
        }
        return yaml.toString();
    }

    private static String acl(PipelineAcls.Grant grant) {
        String resource = grant.type() == ResourceType.CLUSTER ? "{type: cluster}"
                : "{type: " + resourceType(grant.type()) + ", name: " + grant.name()
                + ", patternType: " + patternType(grant.pattern()) + "}";
        return "      - resource: " + resource + "\n        operations: [" + operation(grant.operation()) + "]\n";
    }

    /** Strimzi's spelling of a resource type: {@code TRANSACTIONAL_ID} is {@code transactionalId}. */
    static String resourceType(ResourceType type) {
        return type == ResourceType.TRANSACTIONAL_ID ? "transactionalId" : type.name().toLowerCase(Locale.ROOT);
    }

    /** Strimzi's spelling of a Kafka ACL operation: {@code DESCRIBE_CONFIGS} is {@code DescribeConfigs}. */
    static String operation(AclOperation operation) {
        StringBuilder name = new StringBuilder();
        for (String word : operation.name().split("_")) {
            name.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
        return name.toString();
    }

    /** Strimzi's spelling of a resource pattern type: {@code literal} or {@code prefix}. */
    static String patternType(PatternType pattern) {
        return switch (pattern) {
            case LITERAL -> "literal";
            case PREFIXED -> "prefix";
            default -> throw new IllegalArgumentException("Strimzi has no pattern type " + pattern);
        };
    }
}
