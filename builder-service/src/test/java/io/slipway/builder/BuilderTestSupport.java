package io.slipway.builder;

import io.micronaut.context.ApplicationContext;
import io.slipway.builder.config.BuilderProperties;
import io.slipway.builder.domain.BuildRequest;
import io.slipway.common.kafka.KafkaClients;
import io.slipway.common.testing.LocalRegistry;
import io.slipway.common.testing.SlipwayTestProperties;
import io.slipway.devstack.testing.SharedDevStack;
import io.slipway.schemas.RunIds;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Configuration shared by the tests that build on the real engine and push to the real registry. */
public final class BuilderTestSupport {

    public static final String REGISTRY_USER = "slipway-ci";
    public static final String REGISTRY_PASSWORD = "registry-pw-7f3a91";

    private BuilderTestSupport() {
    }

    /** Properties for a builder against {@code registry}, allowing file:// clone URLs. */
    public static BuilderProperties properties(Path workdir, String dockerHost, LocalRegistry registry, String password,
                                               Map<String, String> buildArgs) {
        return properties(workdir, dockerHost, registry, password, buildArgs, null, null, null);
    }

    /** As above, with git credentials for {@code gitCredentialHost}. */
    public static BuilderProperties properties(Path workdir, String dockerHost, LocalRegistry registry, String password,
                                               Map<String, String> buildArgs, String gitUser, String gitPassword,
                                               String gitCredentialHost) {
        return new BuilderProperties(Duration.ofMinutes(2), Duration.ofSeconds(1), workdir.toString(), buildArgs, List.of(),
                new BuilderProperties.Docker(dockerHost, "256m", 512, null, Duration.ofMinutes(1), "1g"),
                new BuilderProperties.Registry(registry.host(), null, true, "staging", REGISTRY_USER, password),
                new BuilderProperties.Git(gitUser, gitPassword, gitCredentialHost, Duration.ofSeconds(30),
                        Duration.ofMinutes(10), Duration.ofDays(30), "10g"),
                new BuilderProperties.CloneUrls(List.of("https", "file"), null, true, false, false),
                new BuilderProperties.LogStream("4m", Duration.ofSeconds(2)));
    }

    /**
     * The configuration of a builder (two slots, consumer group {@code group}) against the shared test stack,
     * {@code registry} and {@code workdir}, with file:// clone URLs allowed and a quick retry budget.
     */
    public static Map<String, Object> kafkaConfig(SharedDevStack stack, String group, Path workdir,
                                                  LocalRegistry registry, String shutdownGrace) {
        Map<String, Object> config = new HashMap<>(SlipwayTestProperties.against(stack));
        config.put("slipway.builder.group-id", group);
        config.put("slipway.builder.slots", "2");
        config.put("slipway.builder.shutdown-grace", shutdownGrace);
        config.put("slipway.builder.workdir", workdir.toString());
        config.put("slipway.builder.registry.host", registry.host());
        config.put("slipway.builder.registry.insecure", "true");
        config.put("slipway.builder.registry.username", REGISTRY_USER);
        config.put("slipway.builder.registry.password", REGISTRY_PASSWORD);
        config.put("slipway.builder.clone-urls.schemes", "https,file");
        config.put("slipway.builder.clone-urls.allow-file", "true");
        config.put("slipway.kafka.retry-budget", "2s");
        config.put("slipway.kafka.retry-initial-backoff", "200ms");
        return config;
    }

    /**
     * Waits until the builder's consumer group has {@code members} members, one of them with partitions, as the
     * broker describes the group: from then on they get what is sent.
     */
    public static void awaitAssigned(ApplicationContext builder, int members) {
        String group = builder.getProperty("slipway.builder.group-id", String.class).orElse("builder-service");
        try (Admin admin = builder.getBean(KafkaClients.class).admin("builder-test-group-reader")) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                ConsumerGroupDescription described = admin.describeConsumerGroups(List.of(group))
                        .describedGroups().get(group).get(10, TimeUnit.SECONDS);
                assertThat(described.members()).hasSize(members)
                        .anyMatch(member -> !member.assignment().topicPartitions().isEmpty());
            });
        }
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static BuildRequest request(String repository, TestRepository repo, String sha, String ref, long position) {
        return new BuildRequest(RunIds.runId(repository, sha, ref), repository, repo.cloneUrl(), null, sha, ref,
                Instant.now(), 0, position);
    }
}
