package io.slipway.deployer;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.slipway.common.testing.ServiceStartsContract;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The deployer-service starts with no environments file (it deploys nothing), creates its topics, and answers on
 * /health and /prometheus; without an operator token its API is off.
 */
class DeployerServiceStartsTest extends ServiceStartsContract {

    @Inject
    @Client("/")
    HttpClient client;

    @Test
    void answersItsApiWith503WhileNoOperatorTokenIsConfigured() {
        assertThatThrownBy(() -> client.toBlocking().retrieve(HttpRequest.GET("/environments").bearerAuth("guess")))
                .isInstanceOfSatisfying(HttpClientResponseException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(503);
                    assertThat(e.getResponse().getBody(String.class).orElse("")).contains("SLIPWAY_DEPLOYER_TOKEN");
                });
    }
}
