package io.slipway.common.messaging;

import io.micronaut.configuration.kafka.ConsumerRegistry;
import org.apache.kafka.clients.consumer.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.util.Map;

/**
 * Works around micronaut-kafka 5.9.0, whose shutdown waits forever (spinning) for a listener whose poll loop an error
 * ended: only a wakeup marks a loop closed there. Marks that listener closed, as later versions do in a
 * {@code finally}, so a service whose listener died still stops on SIGTERM. Without the expected internals it logs
 * and does nothing (a newer micronaut-kafka no longer needs it).
 */
final class DeadListenerClose {

    private static final Logger LOG = LoggerFactory.getLogger(DeadListenerClose.class);

    private DeadListenerClose() {
    }

    static void markClosed(ConsumerRegistry registry, Consumer<?, ?> consumer) {
        try {
            Field consumers = registry.getClass().getDeclaredField("consumers");
            consumers.setAccessible(true);
            for (Object state : ((Map<?, ?>) consumers.get(registry)).values()) {
                if (field(state.getClass(), "kafkaConsumer").get(state) == consumer) {
                    Field closed = field(state.getClass(), "closedState");
                    @SuppressWarnings({"unchecked", "rawtypes"})
                    Object value = Enum.valueOf((Class<? extends Enum>) closed.getType(), "CLOSED");
                    closed.set(state, value);
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("Not marking the dead listener closed ({}); its shutdown may wait for it", e.toString());
        }
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field field = c.getDeclaredField(name);
                field.setAccessible(true);
                return field;
            } catch (NoSuchFieldException e) {
                // declared higher up
            }
        }
        throw new NoSuchFieldException(name);
    }
}
