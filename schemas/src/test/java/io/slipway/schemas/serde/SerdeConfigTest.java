package io.slipway.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.schemas.registry.RegistrySettings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class SerdeConfigTest {

    @Test
    void requiresTheRegistryUrl() {
        assertThatThrownBy(() -> SerdeConfig.registrySettings(Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("schema.registry.url");
    }

    @Test
    void acceptsACommaSeparatedListOfUrls() {
        RegistrySettings settings = SerdeConfig.registrySettings(Map.of("schema.registry.url", "http://a:8081, http://b:8081/"));

        assertThat(settings.urls()).containsExactly(URI.create("http://a:8081"), URI.create("http://b:8081/"));
        assertThat(settings.authorization()).isEmpty();
    }

    @Test
    void acceptsAListValuedUrl() {
        assertThat(SerdeConfig.registrySettings(Map.of("schema.registry.url", List.of("http://a:8081", "http://b:8081"))).urls())
                .hasSize(2);
    }

    @Test
    void readsUserInfoCredentialsUnderEitherConfluentName() {
        Map<String, String> plain = Map.of("schema.registry.url", "http://a:8081",
                "basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", "fred:letmein");
        Map<String, String> prefixed = Map.of("schema.registry.url", "http://a:8081",
                "basic.auth.credentials.source", "USER_INFO", "schema.registry.basic.auth.user.info", "fred:letmein");

        assertThat(SerdeConfig.registrySettings(plain).authorization()).contains("Basic ZnJlZDpsZXRtZWlu");
        assertThat(SerdeConfig.registrySettings(prefixed).authorization()).contains("Basic ZnJlZDpsZXRtZWlu");
    }

    @Test
    void takesCredentialsFromTheUrlByDefault() {
        RegistrySettings settings = SerdeConfig.registrySettings(Map.of("schema.registry.url", "http://fred:letmein@a:8081"));

        assertThat(settings.authorization()).contains("Basic ZnJlZDpsZXRtZWlu");
        assertThat(settings.urls()).containsExactly(URI.create("http://a:8081"));
    }

    @Test
    void rejectsUserInfoSourceWithoutUserInfoAndUnknownSources() {
        assertThatThrownBy(() -> SerdeConfig.registrySettings(Map.of("schema.registry.url", "http://a:8081",
                "basic.auth.credentials.source", "USER_INFO"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("basic.auth.user.info");
        assertThatThrownBy(() -> SerdeConfig.registrySettings(Map.of("schema.registry.url", "http://a:8081",
                "basic.auth.credentials.source", "SASL_INHERIT"))).isInstanceOf(ConfigException.class);
    }

    @Test
    void readsTimeouts() {
        RegistrySettings settings = SerdeConfig.registrySettings(Map.of("schema.registry.url", "http://a:8081",
                "http.connect.timeout.ms", "1500", "http.read.timeout.ms", 2500));

        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(settings.requestTimeout()).isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void rejectsAnUrlThatIsNotHttp() {
        assertThatThrownBy(() -> SerdeConfig.registrySettings(Map.of("schema.registry.url", "localhost:8081")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http(s)://");
    }

    @Test
    void registersSchemasAutomaticallyUnlessTurnedOff() {
        assertThat(SerdeConfig.autoRegisterSchemas(Map.of())).isTrue();
        assertThat(SerdeConfig.autoRegisterSchemas(Map.of("auto.register.schemas", false))).isFalse();
        assertThat(SerdeConfig.autoRegisterSchemas(Map.of("auto.register.schemas", "FALSE"))).isFalse();
        assertThatThrownBy(() -> SerdeConfig.autoRegisterSchemas(Map.of("auto.register.schemas", "maybe")))
                .isInstanceOf(ConfigException.class);
    }
}
