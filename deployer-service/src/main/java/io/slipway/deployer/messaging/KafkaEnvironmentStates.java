package io.slipway.deployer.messaging;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Value;
import io.slipway.common.config.SchemaRegistryProperties;
import io.slipway.common.config.SlipwayKafkaProperties;
import io.slipway.common.kafka.CompactedTopicStore;
import io.slipway.common.kafka.KafkaClients;
import io.slipway.deployer.domain.EnvironmentStates;
import io.slipway.deployer.domain.Slot;
import io.slipway.events.EnvironmentState;
import io.slipway.schemas.Topics;
import io.slipway.schemas.registry.SchemaRegistryClient;
import io.slipway.schemas.serde.AvroEventDeserializer;
import io.slipway.schemas.serde.AvroEventSerializer;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@link EnvironmentStates} kept in the compacted topic {@code slipway.deployer.state}: one Avro
 * {@code EnvironmentState} per key {@code <environment>|<repository>}, in the schema registry's wire format so that
 * {@code ./slipway envs} and any Confluent client read it. {@link #reload} reads the topic on to its end. A state written
 * in the deploying listener's Kafka transaction commits with it; {@link #forgetUncommitted} drops what an aborted one
 * wrote.
 */
@Singleton
@Bean(preDestroy = "close")
public class KafkaEnvironmentStates implements EnvironmentStates, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaEnvironmentStates.class);

    private final CompactedTopicStore<String, Slot> store;
    private final Duration loadTimeout;

    @Inject
    KafkaEnvironmentStates(KafkaClients clients, SlipwayKafkaProperties settings, SchemaRegistryClient registry,
                           SchemaRegistryProperties registrySettings,
                           @Value("${micronaut.application.name:deployer-service}") String service) {
        this(new CompactedTopicStore<>(clients, Topics.DEPLOYER_STATE, service + "-state",
                CompactedTopicStore.Codec.utf8(), codec(registry, registrySettings.autoRegister()),
                settings.stateMaxKeys(), settings.sendTimeout()), settings.startupTimeout());
    }

    KafkaEnvironmentStates(CompactedTopicStore<String, Slot> store, Duration loadTimeout) {
        this.store = store;
        this.loadTimeout = loadTimeout;
    }

    static CompactedTopicStore.Codec<Slot> codec(SchemaRegistryClient registry, boolean autoRegister) {
        AvroEventSerializer serializer = new AvroEventSerializer(registry, autoRegister);
        AvroEventDeserializer deserializer = new AvroEventDeserializer(registry);
        return CompactedTopicStore.Codec.of(
                slot -> serializer.serialize(Topics.DEPLOYER_STATE, EventMapping.toState(slot)),
                bytes -> EventMapping.toSlot((EnvironmentState) deserializer.deserialize(Topics.DEPLOYER_STATE, bytes)));
    }

    static String key(String environment, String repository) {
        return environment + "|" + repository;
    }

    @Override
    public Optional<Slot> get(String environment, String repository) {
        return store.get(key(environment, repository));
    }

    @Override
    public void put(Slot slot) {
        store.put(key(slot.environment(), slot.repository()), slot);
    }

    @Override
    public List<Slot> all() {
        return store.keys((key, slot) -> true).stream().map(store::get).flatMap(Optional::stream).toList();
    }

    /**
     * Reads what was written to the state topic since the last reload (the whole topic the first time).
     *
     * @throws io.slipway.common.kafka.TransientFailure when Kafka does not serve it in time
     */
    public void reload() {
        store.catchUp(loadTimeout);
        LOG.info("Environment states read from {}: {} environments and repositories", Topics.DEPLOYER_STATE,
                store.size());
    }

    /**
     * Forgets what a Kafka transaction that was then aborted wrote, by reading the state topic again from its
     * beginning: those writes were held at once, and the topic will never have them.
     *
     * @throws io.slipway.common.kafka.TransientFailure when Kafka does not serve it in time
     */
    public void forgetUncommitted() {
        store.reread(loadTimeout);
        LOG.info("Environment states read again from {} after an aborted transaction: {} environments and"
                + " repositories", Topics.DEPLOYER_STATE, store.size());
    }

    @Override
    public void refresh() {
        store.catchUp(loadTimeout);
    }

    @Override
    public void close() {
        store.close();
    }
}
