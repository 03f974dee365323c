package io.slipway.common.kafka;

import io.micronaut.configuration.kafka.annotation.KafkaListener;
import io.micronaut.configuration.kafka.annotation.OffsetReset;
import io.micronaut.configuration.kafka.annotation.OffsetStrategy;
import io.micronaut.context.annotation.AliasFor;
import io.micronaut.context.annotation.Property;
import org.apache.kafka.clients.consumer.ConsumerConfig;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The one way a Slipway stage listens to a topic: a consumer group that starts from the earliest record,
 * commits each record's offset synchronously only after the listener returned (that is, after its outcome was
 * published or it was dead-lettered), never auto-creates topics, and receives raw bytes so that a record that
 * cannot be decoded still reaches the dead-letter topic as it was received. What differs between stages is
 * configuration, not a second annotation: {@link #threads()} consumers per instance, and
 * {@code slipway.kafka.max-poll-records} / {@code slipway.kafka.max-poll-interval-ms} for stages where one record is
 * minutes of work (a build, a test run), which also set {@code slipway.kafka.fetch-max-wait-ms} low: with one record
 * per poll, a consumer does not fetch a partition it still holds a record of, and its fetch for its other partitions
 * waits up to {@code fetch.max.wait.ms} (Kafka's 500 ms by default) for data. A killed instance is noticed by the group after
 * {@code slipway.kafka.session-timeout-ms} (10 s; the broker refuses less than its {@code group.min.session.timeout.ms},
 * 6 s by default), and its partitions, with their uncommitted records, go to the instances left. The consumer does not
 * poll while a record waits for its next attempt, so the service's retry budget must fit these settings; the record
 * pipeline checks that at start-up ({@link RetryBudget#requireWithin}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@KafkaListener(
        offsetReset = OffsetReset.EARLIEST,
        offsetStrategy = OffsetStrategy.SYNC_PER_RECORD,
        properties = {
                @Property(name = ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, value = "false"),
                @Property(name = ConsumerConfig.ISOLATION_LEVEL_CONFIG, value = "read_committed"),
                @Property(name = ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        value = "${slipway.kafka.max-poll-records:" + SlipwayListener.DEFAULT_MAX_POLL_RECORDS + "}"),
                @Property(name = ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
                        value = "${slipway.kafka.max-poll-interval-ms:" + SlipwayListener.DEFAULT_MAX_POLL_INTERVAL_MS + "}"),
                @Property(name = ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                        value = "${slipway.kafka.fetch-max-wait-ms:500}"),
                @Property(name = ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
                        value = "${slipway.kafka.session-timeout-ms:10000}"),
                @Property(name = ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
                        value = "${slipway.kafka.heartbeat-interval-ms:3000}")
        })
public @interface SlipwayListener {

    /** Records per poll unless {@code slipway.kafka.max-poll-records} says otherwise. */
    String DEFAULT_MAX_POLL_RECORDS = "50";

    /** {@code max.poll.interval.ms} unless {@code slipway.kafka.max-poll-interval-ms} says otherwise (Kafka's own). */
    String DEFAULT_MAX_POLL_INTERVAL_MS = "300000";

    /** The consumer group; instances of one service share it and so share the work. */
    @AliasFor(annotation = KafkaListener.class, member = "groupId")
    String value();

    /** Consumer threads per instance (a property placeholder is allowed); each takes its own partitions. */
    @AliasFor(annotation = KafkaListener.class, member = "threadsValue")
    String threads() default "1";
}
