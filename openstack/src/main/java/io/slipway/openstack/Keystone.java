package io.slipway.openstack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.openstack4j.core.transport.ObjectMapperSingleton;
import org.openstack4j.openstack.identity.v3.domain.KeystoneToken;
import org.openstack4j.openstack.identity.v3.domain.TokenAuth;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * Issues a project-scoped Keystone v3 token ({@code POST /v3/auth/tokens}, token in {@code X-Subject-Token}).
 * openstack4j 3.12 has no application-credential method, so Slipway sends the documented request itself, for both
 * methods, and hands the parsed token with its service catalog to openstack4j.
 */
final class Keystone {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final OpenStackSettings settings;
    private final HttpClient http;

    Keystone(OpenStackSettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(settings.connectTimeout()).build();
    }

    KeystoneToken authenticate() {
        String url = settings.identityUrl() + "/auth/tokens";
        String action = "Keystone authentication at " + url;
        HttpResponse<String> response = send(action, HttpRequest.newBuilder(URI.create(url))
                .timeout(settings.readTimeout())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body()))
                .build());
        if (response.statusCode() == 401) {
            throw new VmImageException(VmFailureReason.CONFIG_INVALID,
                    action + ": Keystone rejected the credentials " + settings.credentials());
        }
        if (response.statusCode() != 201) {
            throw OpenStackErrors.fromStatus(action, response.statusCode(), VmImageException.tail(response.body()), null);
        }
        String id = response.headers().firstValue("X-Subject-Token").orElseThrow(() -> new VmImageException(
                VmFailureReason.INFRASTRUCTURE, action + ": no X-Subject-Token header in the answer"));
        KeystoneToken token = parse(action, response.body());
        token.setId(id);
        if (token.getProject() == null) {
            throw new VmImageException(VmFailureReason.CONFIG_INVALID,
                    action + ": the token is not scoped to a project; set OS_PROJECT_ID or OS_PROJECT_NAME");
        }
        return token.applyContext(settings.identityUrl(),
                new TokenAuth(id, token.getProject().getName(), token.getProject().getId()));
    }

    private String body() {
        try {
            return JSON.writeValueAsString(Map.of("auth", settings.credentials().authBody()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> send(String action, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new VmImageException(VmFailureReason.INFRASTRUCTURE, action + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VmImageException(VmFailureReason.INFRASTRUCTURE, action + ": interrupted", e);
        }
    }

    private static KeystoneToken parse(String action, String body) {
        try {
            return ObjectMapperSingleton.getContext(KeystoneToken.class).readerFor(KeystoneToken.class).readValue(body);
        } catch (IOException e) {
            throw new VmImageException(VmFailureReason.INFRASTRUCTURE, action + ": unreadable token: " + e, e);
        }
    }
}
