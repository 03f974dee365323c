package io.slipway.dashboard.deployer;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * {@link DeployerActions} over HTTP to {@code slipway.dashboard.deployer-url}. An approval deploys synchronously (the
 * deployer answers once deployed and smoke-checked), so the answer may take minutes.
 */
@Singleton
public final class HttpDeployerActions implements DeployerActions {

    private static final Duration CONNECT = Duration.ofSeconds(5);
    private static final Duration ANSWER = Duration.ofMinutes(15);

    private final URI base;
    private final HttpClient client;

    HttpDeployerActions(@Value("${slipway.dashboard.deployer-url}") String deployerUrl) {
        this.base = URI.create(deployerUrl.endsWith("/") ? deployerUrl : deployerUrl + "/");
        this.client = HttpClient.newBuilder().connectTimeout(CONNECT).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public Answer approve(String authorization, String body) {
        return post("approvals", authorization, body);
    }

    @Override
    public Answer rollback(String authorization, String body) {
        return post("rollbacks", authorization, body);
    }

    private Answer post(String path, String authorization, String body) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(ANSWER)
                .header("Authorization", authorization).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new Unreachable("the deployer at " + base + " could not be reached: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted while waiting for the deployer at " + base, e);
        }
    }
}
