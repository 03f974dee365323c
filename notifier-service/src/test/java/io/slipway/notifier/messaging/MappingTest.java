package io.slipway.notifier.messaging;

import io.slipway.events.BuildFailed;
import io.slipway.notifier.domain.ChannelId;
import io.slipway.notifier.domain.ChannelMemory;
import io.slipway.notifier.domain.Delivery;
import io.slipway.notifier.domain.EventKind;
import io.slipway.notifier.domain.Notification;
import io.slipway.schemas.SampleEvents;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static io.slipway.notifier.Samples.REPOSITORY;
import static io.slipway.notifier.Samples.T0;
import static io.slipway.notifier.Samples.published;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MappingTest {

    @Test
    void mapsEachConsumedEventToItsKindStageAndRun() {
        Notification failed = EventMapping.toNotification(SampleEvents.buildFailed());
        Notification published = EventMapping.toNotification(SampleEvents.artifactPublished());
        Notification started = EventMapping.toNotification(SampleEvents.commitReceived());

        assertThat(failed).extracting(Notification::kind, Notification::stage, Notification::reasonCode, Notification::branch,
                Notification::commitTitle, Notification::author, Notification::repositoryUrl).containsExactly(
                EventKind.FAILED, "BUILD", "BUILD_ERROR", "main", "Fix all the bugs", "Mona Lisa Octocat",
                "https://git.example.com/octo-org/hello-service");
        assertThat(failed.eventId()).isEqualTo(SampleEvents.buildFailed().getEventId());
        assertThat(published.artifact().reference()).isEqualTo("127.0.0.1:5000/release/hello-service@" + SampleEvents.DIGEST);
        assertThat(published).extracting(Notification::kind, Notification::stage).containsExactly(EventKind.PUBLISHED, "DELIVER");
        assertThat(started).extracting(Notification::kind, Notification::stage).containsExactly(EventKind.STARTED, "TRIGGER");
    }

    @Test
    void aSupersededRunIsCancelledNotFailed() {
        BuildFailed superseded = BuildFailed.newBuilder(SampleEvents.buildFailed()).setReasonCode("SUPERSEDED").build();

        assertThat(EventMapping.toNotification(superseded).kind()).isEqualTo(EventKind.CANCELLED);
    }

    @Test
    void deliveriesAndMemoriesSurviveTheirJsonRoundTrip() {
        Delivery delivery = new Delivery(ChannelId.parse("issues:github"), published(REPOSITORY, "main", T0));
        Delivery failure = new Delivery(ChannelId.parse("slack:ops"), EventMapping.toNotification(SampleEvents.buildFailed()));
        ChannelMemory memory = new ChannelMemory(java.util.List.of("a", "b"),
                Map.of("main", new ChannelMemory.OpenIssue("1347", "https://github.com/o/r/issues/1347", T0)), java.util.List.of("run#1"));

        assertThat(NotifierJson.delivery(NotifierJson.delivery(delivery).getBytes(StandardCharsets.UTF_8))).isEqualTo(delivery);
        assertThat(NotifierJson.delivery(NotifierJson.delivery(failure).getBytes(StandardCharsets.UTF_8))).isEqualTo(failure);
        assertThat(NotifierJson.memory(NotifierJson.memory(memory).getBytes(StandardCharsets.UTF_8))).isEqualTo(memory);
        assertThatThrownBy(() -> NotifierJson.delivery("{\"channel\":\"slack:ops\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("notification");
    }
}
