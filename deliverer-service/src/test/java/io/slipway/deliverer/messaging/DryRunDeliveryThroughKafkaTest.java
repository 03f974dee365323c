package io.slipway.deliverer.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.slipway.common.testing.SlipwayTestProperties;
import io.slipway.devstack.testing.SharedDevStack;
import io.slipway.events.ArtifactPublished;
import io.slipway.events.TestsPassed;
import io.slipway.schemas.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.slipway.deliverer.messaging.DeliveryRuns.image;
import static io.slipway.deliverer.messaging.DeliveryRuns.publishedOf;
import static io.slipway.deliverer.messaging.DeliveryRuns.repository;
import static io.slipway.deliverer.messaging.DeliveryRuns.sha;
import static io.slipway.deliverer.messaging.DeliveryRuns.testsPassed;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * deliverer-service with {@code slipway.dry-run=true} through a real broker and schema registry, with staging and
 * release registries nobody can reach: the in-memory registry replaces the real one while the tag rules, their
 * precedence and the ledger on Kafka stay real, so a {@code TestsPassed} becomes exactly one
 * {@code ArtifactPublished} with the tags the rules give, an older run does not take the branch tags back, and a
 * {@code TestsPassed} redelivered to a restarted deliverer publishes nothing twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DryRunDeliveryThroughKafkaTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final String STAGING = "127.0.0.1:1";
    private static final String RELEASE = "127.0.0.1:2";

    private final SharedDevStack stack = SharedDevStack.get();
    private ApplicationContext service;
    private DelivererTopics topics;

    @BeforeAll
    void start() {
        service = ApplicationContext.run(config());
        topics = new DelivererTopics(stack);
    }

    @AfterAll
    void stop() {
        if (topics != null) {
            topics.close();
        }
        if (service != null) {
            service.close();
        }
    }

    /** Real registries named nowhere reachable, and a retry budget that a real copy would exhaust at once. */
    private Map<String, Object> config() {
        Map<String, Object> config = new HashMap<>(SlipwayTestProperties.against(stack));
        config.put("slipway.dry-run", "true");
        config.put("slipway.deliverer.release-registry", RELEASE);
        config.put("slipway.deliverer.registries[0].host", STAGING);
        config.put("slipway.deliverer.registries[1].host", RELEASE);
        config.put("slipway.kafka.retry-budget", "300ms");
        config.put("slipway.kafka.retry-initial-backoff", "100ms");
        config.put("slipway.kafka.retry-max-backoff", "200ms");
        return config;
    }

    /** A fresh run of {@code repository} at {@code ref} whose image (never pushed anywhere) has a random digest. */
    private static TestsPassed passed(String repository, String ref, Instant committedAt) {
        return testsPassed(repository, sha(), ref, committedAt, STAGING, "sha256:" + sha() + sha().substring(0, 24));
    }

    @Test
    void aTestsPassedForMainBecomesExactlyOneArtifactPublishedWithTheShaBranchAndLatestTags() {
        String repository = repository("dry");
        TestsPassed run = passed(repository, "refs/heads/main", T0);
        TestsPassed sentinel = passed(repository, "refs/heads/feature/x", T0.plusSeconds(60));

        topics.send(run);
        topics.send(sentinel);

        List<ArtifactPublished> published = topics.publishedUntil(repository, sentinel.getRun().getRunId());
        assertThat(published).extracting(e -> e.getRun().getRunId())
                .containsExactly(run.getRun().getRunId(), sentinel.getRun().getRunId());
        ArtifactPublished main = published.get(0);
        assertThat(main.getRun()).isEqualTo(run.getRun());
        assertThat(main.getRegistry()).isEqualTo(RELEASE);
        assertThat(main.getRepository()).isEqualTo(image(repository));
        assertThat(main.getDigest()).isEqualTo(run.getImage().getDigest());
        assertThat(main.getTags()).containsExactly(run.getRun().getCommit().getSha(), "main", "latest");
        assertThat(main.getDeploy()).isEqualTo(DeliveryRuns.DEPLOY_INTENT);
        assertThat(publishedOf(published, sentinel).getTags())
                .containsExactly(sentinel.getRun().getCommit().getSha(), "feature-x");
        assertThat(topics.eventsOf(Topics.FAILURES, repository)).isEmpty();
    }

    @Test
    void aRunThatFinishesAfterANewerRunOfItsBranchDoesNotTakeTheBranchTagOrLatestBack() {
        String repository = repository("dry");
        TestsPassed older = passed(repository, "refs/heads/main", T0);
        TestsPassed newer = passed(repository, "refs/heads/main", T0.plusSeconds(120));

        topics.send(newer);
        topics.send(older);

        List<ArtifactPublished> published = topics.publishedUntil(repository, older.getRun().getRunId());
        assertThat(published).hasSize(2);
        assertThat(publishedOf(published, newer).getTags()).containsExactly(newer.getRun().getCommit().getSha(), "main", "latest");
        assertThat(publishedOf(published, older).getTags()).containsExactly(older.getRun().getCommit().getSha());
    }

    @Test
    void aTestsPassedRedeliveredToARestartedDelivererPublishesNothingTwice() {
        String repository = repository("dry");
        TestsPassed first = passed(repository, "refs/heads/main", T0);
        topics.send(first);
        topics.publishedUntil(repository, first.getRun().getRunId());
        topics.send(first);
        TestsPassed second = passed(repository, "refs/heads/feature/y", T0.plusSeconds(30));
        topics.send(second);
        topics.publishedUntil(repository, second.getRun().getRunId());
        service.close();
        service = ApplicationContext.run(config());

        topics.send(first);
        TestsPassed sentinel = passed(repository, "refs/heads/feature/z", T0.plusSeconds(60));
        topics.send(sentinel);

        List<ArtifactPublished> published = topics.publishedUntil(repository, sentinel.getRun().getRunId());
        assertThat(published).extracting(e -> e.getRun().getRunId()).containsExactly(first.getRun().getRunId(),
                second.getRun().getRunId(), sentinel.getRun().getRunId());
        assertThat(service.getBean(MeterRegistry.class).counter("slipway.deliverer.deliveries", "outcome", "duplicate")
                .count()).as("the restarted deliverer found the first run in the ledger").isEqualTo(1.0);
        assertThat(topics.eventsOf(Topics.FAILURES, repository)).isEmpty();
    }
}
