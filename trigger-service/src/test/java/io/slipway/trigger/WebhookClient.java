package io.slipway.trigger;

import io.slipway.trigger.adapter.forge.WebhookSignatures;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Posts webhook requests to a running trigger-service the way forges do. */
public final class WebhookClient {

    public static final String SECRET = "It's a Secret to Everybody";

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;

    public WebhookClient(URI base) {
        this.base = base;
    }

    public URI base() {
        return base;
    }

    public HttpResponse<String> post(String path, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A generic-webhook push, signed with {@link #SECRET}, under a fresh delivery id. */
    public HttpResponse<String> pushGeneric(String repository, String ref, String sha, String message) {
        return pushGeneric(repository, ref, sha, message, UUID.randomUUID().toString());
    }

    public HttpResponse<String> pushGeneric(String repository, String ref, String sha, String message, String delivery) {
        byte[] body = genericBody(repository, ref, sha, message);
        return post("/webhooks/generic", body, "Content-Type", "application/json",
                "X-Slipway-Delivery", delivery,
                "X-Slipway-Signature-256", "sha256=" + WebhookSignatures.hmacSha256Hex(SECRET, body));
    }

    public static byte[] genericBody(String repository, String ref, String sha, String message) {
        return ("{\"repository\":\"" + repository + "\",\"cloneUrl\":\"https://git.example.org/" + repository
                + ".git\",\"ref\":\"" + ref + "\",\"sha\":\"" + sha + "\",\"message\":\"" + message
                + "\",\"author\":{\"name\":\"Ada Lovelace\",\"email\":\"ada@example.org\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
