package io.slipway.builder.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BuildArgsTest {

    private static final Map<String, String> SERVICE = Map.of("HTTP_PROXY", "http://proxy:3128",
            "PIP_INDEX_URL", "https://mirror.internal/simple");

    private static PipelineFile file(String yaml) {
        return PipelineFileParser.parse(yaml, "org/app");
    }

    @Test
    void theRepositoryAddsArgsNextToTheServiceOnes() {
        Map<String, String> args = BuildArgs.merge(SERVICE, file("buildArgs:\n  VERSION: '1.2'\n  DEBUG: false\n"));

        assertThat(args).containsEntry("HTTP_PROXY", "http://proxy:3128")
                .containsEntry("PIP_INDEX_URL", "https://mirror.internal/simple")
                .containsEntry("VERSION", "1.2").containsEntry("DEBUG", "false").hasSize(4);
    }

    @Test
    void withoutServiceArgsTheRepositoryArgsPassUnchanged() {
        assertThat(BuildArgs.merge(Map.of(), file("buildArgs: {HTTP_PROXY: http://own:3128}\n")))
                .containsExactly(Map.entry("HTTP_PROXY", "http://own:3128"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP_PROXY", "http_proxy", "Http_Proxy", "pip_index_url"})
    void aServiceArgSetByTheRepositoryInAnyCaseIsConfigInvalidNamingIt(String name) {
        PipelineFile file = file("image: org/app\nbuildArgs:\n  VERSION: '1'\n  " + name + ": http://evil:3128\n");

        assertThatThrownBy(() -> BuildArgs.merge(SERVICE, file)).isInstanceOfSatisfying(StageFailure.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.CONFIG_INVALID);
            assertThat(e.retryable()).isFalse();
            assertThat(e.getMessage()).startsWith(".slipway.yml line 2:").contains("build arg " + name + " is set by "
                    + "this builder and cannot be overridden");
        });
    }

    @Test
    void everyClashingArgIsNamed() {
        PipelineFile file = file("buildArgs: {HTTP_PROXY: a, PIP_INDEX_URL: b}\n");

        assertThatThrownBy(() -> BuildArgs.merge(SERVICE, file)).hasMessageContaining("build args HTTP_PROXY, "
                + "PIP_INDEX_URL are set by this builder");
    }
}
