package io.slipway.trigger.messaging;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.core.annotation.Nullable;
import io.slipway.common.config.SlipwayKafkaProperties;
import io.slipway.common.kafka.EventPublisher;
import io.slipway.common.kafka.StageTransaction;
import io.slipway.common.kafka.KafkaClients;
import io.slipway.common.liveness.Heartbeats;
import io.slipway.common.messaging.TopicsAtStartup;
import io.slipway.common.requests.KafkaRequestStates;
import io.slipway.common.requests.RequestStates;
import io.slipway.events.RequestState;
import io.slipway.events.RunContext;
import io.slipway.schemas.RunIds;
import io.slipway.schemas.Topics;
import io.slipway.trigger.domain.Push;
import io.slipway.trigger.domain.RequestBook;
import io.slipway.trigger.domain.RequestService;
import io.slipway.trigger.domain.RequestStatus;
import io.slipway.trigger.domain.RunLedger;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The one writer of {@code slipway.requests} (key {@code <repository>#<number>}), through the service's event
 * publisher, so a state is durable when {@link #put} returns. It reads the states back with
 * {@link KafkaRequestStates}, and answers its own writes until that reader has caught up with them: each state it
 * writes gets an {@code updatedAt} after the previous one, so a read state at least as recent replaces its own.
 * What it wrote in the intake's transaction is remembered with that transaction, so that the writes of an aborted one
 * are forgotten again ({@link #forgetUncommitted}).
 */
@Singleton
public class RequestStateWriter implements RequestBook {

    private final EventPublisher publisher;
    private final KafkaRequestStates states;
    private final LongSupplier transaction;
    private final Map<String, RequestState> written = new ConcurrentHashMap<>();
    /** The writes of the latest transaction, oldest first, with what each key held before; guarded by itself. */
    private final List<Undo> latest = new ArrayList<>();
    private long latestTransaction = RunLedger.NO_TRANSACTION;
    private Instant lastStamp = Instant.EPOCH;

    /** A key's own state before a write in a transaction ({@code null} when it had none). */
    private record Undo(String key, RequestState before) {
    }

    @Inject
    RequestStateWriter(EventPublisher publisher, KafkaRequestStates states) {
        this(publisher, states, () -> StageTransaction.currentId().orElse(RunLedger.NO_TRANSACTION));
    }

    /** @param transaction names the transaction the writer is called in, or {@link RunLedger#NO_TRANSACTION} */
    RequestStateWriter(EventPublisher publisher, KafkaRequestStates states, LongSupplier transaction) {
        this.publisher = publisher;
        this.states = states;
        this.transaction = transaction;
    }

    @Override
    public Optional<RequestStatus> get(String repository, int number) {
        String key = RequestStates.key(repository, number);
        Optional<RequestState> read = states.get(repository, number);
        RequestState own = written.get(key);
        if (own != null && (read.isEmpty() || read.get().getUpdatedAt().isBefore(own.getUpdatedAt()))) {
            return Optional.of(toStatus(own));
        }
        if (own != null) {
            written.remove(key, own);
        }
        return read.map(RequestStateWriter::toStatus);
    }

    @Override
    public void put(RequestStatus status) {
        RequestState state = toState(status, stamp(status.updatedAt()));
        String key = RequestStates.key(status.repository(), status.number());
        publisher.publish(Topics.REQUESTS, key, state);
        remember(key, state);
    }

    /**
     * Forgets what was written in the {@code aborted} transaction, newest first, so the states of earlier writes (or
     * the read ones) answer again; a write of any other transaction is kept.
     */
    public void forgetUncommitted(long aborted) {
        synchronized (latest) {
            if (aborted == RunLedger.NO_TRANSACTION || aborted != latestTransaction) {
                return;
            }
            for (int i = latest.size() - 1; i >= 0; i--) {
                Undo undo = latest.get(i);
                if (undo.before() == null) {
                    written.remove(undo.key());
                } else {
                    written.put(undo.key(), undo.before());
                }
            }
            latest.clear();
        }
    }

    private void remember(String key, RequestState state) {
        long current = transaction.getAsLong();
        synchronized (latest) {
            if (current != latestTransaction) {
                latest.clear();
                latestTransaction = current;
            }
            RequestState before = state == null ? written.remove(key) : written.put(key, state);
            if (current != RunLedger.NO_TRANSACTION) {
                latest.add(new Undo(key, before));
            }
        }
    }

    /**
     * Deletes (tombstones) the states of the requests closed before {@code cutoff}, so that {@code slipway.requests}
     * and every reader's memory hold the open requests and the recently closed ones only; returns how many. A request
     * forgotten this way that is reopened, or whose old event is delivered again, is met like a new one: a head the run
     * ledger still knows is a duplicate, anything else starts a run.
     */
    public int forgetClosedBefore(Instant cutoff) {
        int forgotten = 0;
        for (RequestState state : states.all()) {
            if (!state.getOpen() && state.getUpdatedAt().isBefore(cutoff)) {
                String key = RequestStates.key(state.getRepository(), state.getNumber());
                RequestState own = written.get(key);
                if (own != null && !own.getUpdatedAt().isBefore(cutoff)) {
                    continue;
                }
                publisher.delete(Topics.REQUESTS, key);
                remember(key, null);
                forgotten++;
            }
        }
        return forgotten;
    }

    private synchronized Instant stamp(Instant at) {
        Instant millis = Instant.ofEpochMilli(at.toEpochMilli());
        lastStamp = millis.isAfter(lastStamp) ? millis : lastStamp.plusMillis(1);
        return lastStamp;
    }

    static RequestState toState(RequestStatus status, Instant updatedAt) {
        Push waiting = status.awaiting();
        RunContext awaiting = waiting == null ? null : CommitMapping.toEvent(waiting,
                RunIds.runId(waiting.repository(), waiting.sha(), waiting.ref()), CommitMapping.UNASSIGNED_ATTEMPT,
                updatedAt, status.sequence(), updatedAt).getRun();
        return RequestState.newBuilder()
                .setRepository(status.repository())
                .setNumber(status.number())
                .setOpen(status.open())
                .setHeadSha(status.headSha())
                .setSequence(status.sequence())
                .setApproved(status.approved())
                .setAwaitingApproval(awaiting)
                .setUpdatedAt(updatedAt)
                .build();
    }

    static RequestStatus toStatus(RequestState state) {
        Push awaiting = state.getAwaitingApproval() == null ? null
                : CommitMapping.toPush(state.getAwaitingApproval(), RequestService.APPROVAL_SOURCE, null);
        return new RequestStatus(state.getRepository(), state.getNumber(), state.getOpen(), state.getHeadSha(),
                state.getSequence(), state.getApproved(), awaiting, state.getUpdatedAt());
    }

    /** The trigger's reader of {@code slipway.requests}, read to its end before the service answers anything. */
    @Factory
    static class Reader {

        @Context
        @Bean(preDestroy = "close")
        KafkaRequestStates requestStates(KafkaClients clients,
                                         @Named("slipway-events") Deserializer<SpecificRecord> deserializer,
                                         Heartbeats heartbeats, SlipwayKafkaProperties settings,
                                         @Nullable TopicsAtStartup topicsCreated) {
            KafkaRequestStates states = new KafkaRequestStates(clients, "trigger-service-requests", deserializer,
                    heartbeats);
            states.start(settings.startupTimeout());
            return states;
        }
    }
}
