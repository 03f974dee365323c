package io.slipway.schemas.serde;

import org.apache.avro.SystemLimitException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Method;
import java.util.Map;

/**
 * Bounds what one Avro datum may declare, so a record claiming a 2,000,000,000-byte string fails to decode at once
 * instead of making the JVM allocate it. Avro reads its limits ({@code org.apache.avro.limits.*}) from system
 * properties once, when it first checks one, and its own defaults are the largest Java array. {@link #apply} sets
 * Slipway's bounds for every limit the JVM was not started with ({@code -D} overrides each) and has Avro read them
 * again, in case something decoded Avro earlier; {@link AvroEventDeserializer} calls it when its class loads, before
 * its first decoding, so every service and tool gets the same bounds.
 */
public final class AvroLimits {

    /** Longest string or byte array a datum may declare: 4 MiB, four times Kafka's default record size limit. */
    public static final int MAX_LENGTH = 4 * 1024 * 1024;
    /** Most items one array or map may declare; events carry a few suites and tags. */
    public static final int MAX_COLLECTION_ITEMS = 100_000;

    private static final Logger LOG = LoggerFactory.getLogger(AvroLimits.class);
    private static final Map<String, Integer> DEFAULTS = Map.of(
            SystemLimitException.MAX_STRING_LENGTH_PROPERTY, MAX_LENGTH,
            SystemLimitException.MAX_BYTES_LENGTH_PROPERTY, MAX_LENGTH,
            SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY, MAX_COLLECTION_ITEMS);
    private static volatile boolean applied;

    private AvroLimits() {
    }

    /**
     * Sets each limit the JVM was not started with to Slipway's bound and has Avro read the limits again; idempotent.
     * Avro re-reads them only in a package-private method, reached by reflection; should that ever fail and Avro have
     * read its limits already, the {@code -D} options that set them are logged.
     */
    public static synchronized void apply() {
        if (applied) {
            return;
        }
        DEFAULTS.forEach((property, bound) -> {
            if (System.getProperty(property) == null) {
                System.setProperty(property, Integer.toString(bound));
            }
        });
        applied = true;
        try {
            Method reread = SystemLimitException.class.getDeclaredMethod("resetLimits");
            reread.setAccessible(true);
            reread.invoke(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("Cannot have Avro read its decoding limits again: {}", e.toString());
        }
        if (System.getProperty(SystemLimitException.MAX_STRING_LENGTH_PROPERTY).equals(Integer.toString(MAX_LENGTH))
                && accepts(MAX_LENGTH + 1L)) {
            LOG.warn("Avro read its decoding limits before Slipway could set them, so a record may declare strings "
                    + "longer than {} bytes. Start the JVM with -D{}={} -D{}={} -D{}={}", MAX_LENGTH,
                    SystemLimitException.MAX_STRING_LENGTH_PROPERTY, MAX_LENGTH,
                    SystemLimitException.MAX_BYTES_LENGTH_PROPERTY, MAX_LENGTH,
                    SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY, MAX_COLLECTION_ITEMS);
        }
    }

    private static boolean accepts(long length) {
        try {
            SystemLimitException.checkMaxStringLength(length);
            return true;
        } catch (SystemLimitException e) {
            return false;
        }
    }
}
