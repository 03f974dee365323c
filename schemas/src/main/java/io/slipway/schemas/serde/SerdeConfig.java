package io.slipway.schemas.serde;

import io.slipway.schemas.registry.RegistrySettings;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigException;

/**
 * The configuration keys of {@link AvroEventSerializer} and {@link AvroEventDeserializer}. They are Confluent's own
 * key names, so a producer or consumer configuration written for Confluent's serializers works unchanged.
 */
public final class SerdeConfig {

    /** Required: the registry base URL, or a comma-separated list tried in order. */
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    /** Register the record's schema on first use (default {@code true}); when false it must already be registered. */
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    /** Where basic-auth credentials come from: {@value #SOURCE_URL} (default) or {@value #SOURCE_USER_INFO}. */
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    /** {@code user:password}, used when the credentials source is {@value #SOURCE_USER_INFO}. */
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    /** Alternative name of {@link #BASIC_AUTH_USER_INFO}, also accepted by Confluent's serializers. */
    public static final String SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO = "schema.registry.basic.auth.user.info";
    /** Connect timeout of registry requests in milliseconds. */
    public static final String HTTP_CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";
    /** Timeout of one registry request in milliseconds. */
    public static final String HTTP_READ_TIMEOUT_MS = "http.read.timeout.ms";

    /** Credentials are the user info of the registry URL, {@code http://user:password@host:8081}. */
    public static final String SOURCE_URL = "URL";
    /** Credentials are the value of {@link #BASIC_AUTH_USER_INFO} (or {@link #SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO}). */
    public static final String SOURCE_USER_INFO = "USER_INFO";

    private SerdeConfig() {
    }

    /** The registry settings described by a Kafka client configuration; throws {@link ConfigException} when invalid. */
    public static RegistrySettings registrySettings(Map<String, ?> configs) {
        String urls = string(configs, SCHEMA_REGISTRY_URL);
        if (urls == null || urls.isBlank()) {
            throw new ConfigException("Missing required configuration \"" + SCHEMA_REGISTRY_URL + "\" which has no default value.");
        }
        RegistrySettings settings;
        try {
            settings = RegistrySettings.of(urls);
            String source = string(configs, BASIC_AUTH_CREDENTIALS_SOURCE);
            if (SOURCE_USER_INFO.equalsIgnoreCase(source)) {
                String userInfo = string(configs, BASIC_AUTH_USER_INFO);
                if (userInfo == null || userInfo.isEmpty()) {
                    userInfo = string(configs, SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO);
                }
                if (userInfo == null || userInfo.isEmpty()) {
                    throw new ConfigException(BASIC_AUTH_CREDENTIALS_SOURCE + "=" + SOURCE_USER_INFO + " needs "
                            + BASIC_AUTH_USER_INFO + " or " + SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO);
                }
                settings = settings.withBasicAuth(userInfo);
            } else if (source != null && !source.isEmpty() && !SOURCE_URL.equalsIgnoreCase(source)) {
                throw new ConfigException(BASIC_AUTH_CREDENTIALS_SOURCE, source,
                        "supported values are " + SOURCE_URL + " and " + SOURCE_USER_INFO);
            }
            String connectMs = string(configs, HTTP_CONNECT_TIMEOUT_MS);
            if (connectMs != null) {
                settings = settings.withConnectTimeout(Duration.ofMillis(Long.parseLong(connectMs.trim())));
            }
            String readMs = string(configs, HTTP_READ_TIMEOUT_MS);
            if (readMs != null) {
                settings = settings.withRequestTimeout(Duration.ofMillis(Long.parseLong(readMs.trim())));
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid schema registry configuration: " + e.getMessage());
        }
        return settings;
    }

    /** The value of {@link #AUTO_REGISTER_SCHEMAS}, {@code true} when absent. */
    public static boolean autoRegisterSchemas(Map<String, ?> configs) {
        String value = string(configs, AUTO_REGISTER_SCHEMAS);
        if (value == null || value.isBlank()) {
            return true;
        }
        if (!value.trim().equalsIgnoreCase("true") && !value.trim().equalsIgnoreCase("false")) {
            throw new ConfigException(AUTO_REGISTER_SCHEMAS, value, "expected true or false");
        }
        return Boolean.parseBoolean(value.trim());
    }

    private static String string(Map<String, ?> configs, String key) {
        Object value = configs.get(key);
        if (value instanceof Collection<?> list) {
            return list.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        return value == null ? null : String.valueOf(value);
    }
}
