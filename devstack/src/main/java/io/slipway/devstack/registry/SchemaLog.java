package io.slipway.devstack.registry;

import java.util.function.BiConsumer;

/**
 * The durable, ordered log behind the registry: every state change is appended as a key/value JSON record, and
 * replaying the log from the start rebuilds the state. A {@code null} value is a tombstone.
 */
interface SchemaLog extends AutoCloseable {

    /** Hands every record from the start of the log to its current end, in order, to {@code apply}. */
    void replay(BiConsumer<String, String> apply);

    /** Appends one record and returns only once it is durably stored. */
    void append(String key, String value);

    @Override
    void close();
}
