package io.slipway.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.events.ArtifactPublished;
import io.slipway.events.BuildFailed;
import io.slipway.events.CommitReceived;
import io.slipway.events.Deployed;
import io.slipway.events.ImageBuilt;
import io.slipway.events.Repository;
import io.slipway.events.TestsPassed;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void listsThePipelineTopicsWithTheirEventsInPipelineOrder() {
        assertThat(Topics.pipelineTopics()).containsExactly(
                "slipway.commits", "slipway.images", "slipway.tests", "slipway.artifacts", "slipway.deployments",
                "slipway.failures");
        assertThat(Topics.PIPELINE).extracting(Topics.EventTopic::eventType).containsExactly(
                CommitReceived.class, ImageBuilt.class, TestsPassed.class, ArtifactPublished.class, Deployed.class,
                BuildFailed.class);
    }

    @Test
    void keepsTheOptionalLogTopicOutOfThePipeline() {
        assertThat(Topics.LOGS).isEqualTo("slipway.logs");
        assertThat(Topics.pipelineTopics()).doesNotContain(Topics.LOGS);
        assertThat(Topics.eventType(Topics.LOGS)).contains(io.slipway.events.LogChunk.class);
        assertThat(Topics.eventType(Topics.REPORTS)).contains(io.slipway.events.TestReport.class);
        assertThat(Topics.eventType("slipway.unknown")).isEmpty();
    }

    @Test
    void mapsTopicsToEventsAndBack() {
        assertThat(Topics.eventType("slipway.tests")).contains(TestsPassed.class);
        assertThat(Topics.topicOf(BuildFailed.class)).isEqualTo(Topics.FAILURES);
        assertThatThrownBy(() -> Topics.topicOf(Repository.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("io.slipway.events.Repository");
    }

    @Test
    void namesDeadLetterTopicsAndSubjects() {
        assertThat(Topics.deadLetter(Topics.COMMITS)).isEqualTo("slipway.commits.dlq");
        assertThat(Topics.valueSubject(Topics.IMAGES)).isEqualTo("slipway.images-value");
        assertThat(Topics.keySubject(Topics.IMAGES)).isEqualTo("slipway.images-key");
        assertThatThrownBy(() -> Topics.deadLetter(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void createsEveryInternalTopicAndCompactsOnlyTheStateTopics() {
        assertThat(Topics.allTopics()).containsSubsequence(Topics.pipelineTopics()).contains(Topics.TRIGGER_INTAKE,
                Topics.DELIVERER_STATE, Topics.NOTIFIER_DELIVERIES, Topics.NOTIFIER_STATE, Topics.DEPLOYER_STATE)
                .doesNotHaveDuplicates();
        assertThat(Topics.COMPACTED).containsExactlyInAnyOrder(Topics.DELIVERER_STATE, Topics.NOTIFIER_STATE, Topics.REQUESTS,
                Topics.DEPLOYER_STATE);
        assertThat(Topics.allTopics()).containsAll(Topics.COMPACTED);
    }
}
