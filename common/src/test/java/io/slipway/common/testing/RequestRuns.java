package io.slipway.common.testing;

import io.slipway.common.requests.RequestStates;
import io.slipway.devstack.testing.SharedDevStack;
import io.slipway.events.ChangeRequest;
import io.slipway.events.Commit;
import io.slipway.events.RequestState;
import io.slipway.events.Repository;
import io.slipway.events.RunContext;
import io.slipway.schemas.RunIds;
import io.slipway.schemas.Topics;
import io.slipway.schemas.registry.SchemaRegistryClient;
import io.slipway.schemas.serde.AvroEventSerializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * Runs of pull requests and the {@code RequestState} records trigger-service writes about them, for tests of the
 * stages that read {@code slipway.requests}: states are written as the trigger writes them (key
 * {@code <repository>#<number>}, the events serializer).
 */
public final class RequestRuns {

    private RequestRuns() {
    }

    /** The run the trigger emits for head {@code sha} of pull request {@code number}, accepted at {@code sequence}. */
    public static RunContext run(String repository, String cloneUrl, int number, String sha, long sequence) {
        String ref = "refs/pull/" + number + "/head";
        ChangeRequest request = ChangeRequest.newBuilder().setNumber(number).setKind("pull").setSourceBranch("feature")
                .setTargetBranch("main").setSourceRepository(repository).setFromFork(false).setHeadSha(sha).build();
        Instant now = Instant.now();
        return RunContext.newBuilder().setRunId(RunIds.runId(repository, sha, ref)).setAttempt(1)
                .setRepository(Repository.newBuilder().setFullName(repository).setCloneUrl(cloneUrl).build())
                .setCommit(Commit.newBuilder().setSha(sha).setRef(ref).setMessage("change").setAuthorName("Ada")
                        .setTimestamp(now).build())
                .setTriggeredAt(now).setAcceptedSequence(sequence).setRequest(request).build();
    }

    /** A state of pull request {@code number}: open with head {@code headSha}, or closed, decided at {@code sequence}. */
    public static RequestState state(String repository, int number, boolean open, String headSha, long sequence) {
        return RequestState.newBuilder().setRepository(repository).setNumber(number).setOpen(open)
                .setHeadSha(headSha).setSequence(sequence).setUpdatedAt(Instant.now()).build();
    }

    /** Writes {@code state} to {@code slipway.requests} of {@code stack}, acknowledged by the broker. */
    public static void write(SharedDevStack stack, RequestState state) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(config, new StringSerializer(),
                new AvroEventSerializer(new SchemaRegistryClient(stack.registryUrl()), true))) {
            producer.send(new ProducerRecord<>(Topics.REQUESTS,
                    RequestStates.key(state.getRepository(), state.getNumber()), state)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not write " + state, e.getCause());
        }
    }
}
