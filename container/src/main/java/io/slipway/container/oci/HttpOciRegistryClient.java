package io.slipway.container.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@link OciRegistryClient} over {@code java.net.http}: monolithic blob uploads (POST, then PUT with the digest),
 * cross-repository mounts, manifests by tag or digest. Redirects are followed by hand so that credentials and tokens
 * are never sent to another origin (host, port or scheme: blob downloads are often redirected to object storage).
 */
public final class HttpOciRegistryClient implements OciRegistryClient {

    private static final String ACCEPT = String.join(", ", Manifest.MEDIA_TYPES);
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final int MAX_REDIRECTS = 5;
    private static final int MAX_EXCERPT = 512;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryEndpoint endpoint;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final Duration transferTimeout;
    private final RegistryAuth auth;

    /**
     * A client of {@code endpoint}; {@code requestTimeout} bounds each small request, {@code transferTimeout} each
     * blob transfer.
     */
    public HttpOciRegistryClient(RegistryEndpoint endpoint, Duration requestTimeout, Duration transferTimeout) {
        this(endpoint, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(requestTimeout).followRedirects(HttpClient.Redirect.NEVER).build(),
                requestTimeout, transferTimeout, Clock.systemUTC());
    }

    HttpOciRegistryClient(RegistryEndpoint endpoint, HttpClient http, Duration requestTimeout, Duration transferTimeout,
                          Clock clock) {
        this.endpoint = endpoint;
        this.http = http;
        this.requestTimeout = requestTimeout;
        this.transferTimeout = transferTimeout;
        this.auth = new RegistryAuth(endpoint, http, requestTimeout, clock);
    }

    @Override
    public String host() {
        return endpoint.host();
    }

    @Override
    public Optional<Descriptor> headManifest(String repository, String reference) {
        HttpResponse<InputStream> response = send(new Call("HEAD", manifestUri(repository, reference), pull(repository))
                .header("Accept", ACCEPT));
        complete(response, 200, 404);
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        Optional<String> digest = response.headers().firstValue("Docker-Content-Digest");
        if (digest.isEmpty()) {
            Manifest manifest = getManifest(repository, reference);
            return Optional.of(new Descriptor(manifest.mediaType(), manifest.digest(), manifest.bytes().length));
        }
        return Optional.of(new Descriptor(contentType(response), digest.get(),
                response.headers().firstValueAsLong("Content-Length").orElse(-1)));
    }

    @Override
    public Manifest getManifest(String repository, String reference) {
        Call call = new Call("GET", manifestUri(repository, reference), pull(repository)).header("Accept", ACCEPT);
        HttpResponse<InputStream> response = send(call);
        expect(response, 200);
        Manifest manifest = Manifest.of(read(call, response), contentType(response), reference);
        if (Digests.isDigest(reference) && !manifest.digest().equals(reference)) {
            throw new OciRegistryException(OciRegistryException.Kind.DIGEST_MISMATCH, "GET", 0, List.of(),
                    "GET " + call.uri() + " returned a manifest whose digest is " + manifest.digest());
        }
        return manifest;
    }

    @Override
    public String putManifest(String repository, String reference, Manifest manifest) {
        HttpResponse<InputStream> response = send(new Call("PUT", manifestUri(repository, reference), push(repository))
                .body(BodyPublishers.ofByteArray(manifest.bytes())).header("Content-Type", manifest.mediaType()));
        complete(response, 201);
        return response.headers().firstValue("Docker-Content-Digest").orElse(manifest.digest());
    }

    @Override
    public boolean hasBlob(String repository, String digest) {
        HttpResponse<InputStream> response = send(new Call("HEAD", blobUri(repository, digest), pull(repository)));
        complete(response, 200, 404);
        return response.statusCode() == 200;
    }

    @Override
    public boolean mountBlob(String repository, String digest, String fromRepository) {
        URI uri = uploadsUri(repository, "mount=" + encode(digest) + "&from=" + encode(fromRepository));
        HttpResponse<InputStream> response = send(new Call("POST", uri, push(repository) + " " + pull(fromRepository))
                .body(BodyPublishers.noBody()));
        complete(response, 201, 202);
        if (response.statusCode() == 201) {
            return true;
        }
        // Declined: cancel the upload session the registry opened instead, so it does not linger until purged.
        complete(send(new Call("DELETE", location(response), push(repository))), 204, 404);
        return false;
    }

    @Override
    public void pushBlob(String repository, Descriptor blob, InputStream content) {
        HttpResponse<InputStream> started = send(new Call("POST", uploadsUri(repository, null), push(repository))
                .body(BodyPublishers.noBody()));
        complete(started, 202);
        URI location = location(started);
        String query = "digest=" + encode(blob.digest());
        URI put = URI.create(location + (location.getRawQuery() == null ? "?" : "&") + query);
        BodyPublisher body = blob.size() == 0 ? BodyPublishers.noBody()
                : BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> content), blob.size());
        complete(send(new Call("PUT", put, push(repository)).body(body).timeout(transferTimeout)
                .header("Content-Type", "application/octet-stream")), 201);
    }

    @Override
    public InputStream openBlob(String repository, String digest) {
        HttpResponse<InputStream> response = send(new Call("GET", blobUri(repository, digest), pull(repository))
                .timeout(transferTimeout));
        expect(response, 200);
        return response.body();
    }

    /** One request: method and URL, the token scope it needs, its headers (name, value, …), body and timeout. */
    private record Call(String method, URI uri, String scope, List<String> headers, BodyPublisher body,
                        Duration timeout) {

        Call(String method, URI uri, String scope) {
            this(method, uri, scope, List.of(), BodyPublishers.noBody(), null);
        }

        Call header(String name, String value) {
            List<String> more = new ArrayList<>(headers);
            more.add(name);
            more.add(value);
            return new Call(method, uri, scope, List.copyOf(more), body, timeout);
        }

        Call body(BodyPublisher publisher) {
            return new Call(method, uri, scope, headers, publisher, timeout);
        }

        Call timeout(Duration duration) {
            return new Call(method, uri, scope, headers, body, duration);
        }

        /** Where a redirect leads; a 303 turns the request into a GET without body. */
        Call redirectedTo(URI next, int status) {
            return status == 303 ? new Call("GET", next, scope, headers, BodyPublishers.noBody(), timeout)
                    : new Call(method, next, scope, headers, body, timeout);
        }
    }

    /**
     * Sends a call, answering one authentication challenge and following redirects; credentials go only to the
     * registry's own host. 5xx, 408, 429 and I/O faults become {@link RegistryUnavailableException}.
     */
    private HttpResponse<InputStream> send(Call request) {
        Call call = request;
        for (int hop = 0; ; hop++) {
            boolean ownHost = sameOrigin(call.uri(), endpoint.baseUri());
            Optional<String> authorization = ownHost ? auth.header(call.scope()) : Optional.empty();
            HttpResponse<InputStream> response = exchange(call, authorization);
            if (response.statusCode() == 401 && ownHost && auth.answer(response, call.scope(), authorization.isPresent())) {
                discard(response);
                response = exchange(call, auth.header(call.scope()));
            }
            int status = response.statusCode();
            if (REDIRECTS.contains(status) && hop < MAX_REDIRECTS) {
                URI next = location(response);
                discard(response);
                call = call.redirectedTo(next, status);
                continue;
            }
            if (status >= 500 || status == 408 || status == 429) {
                throw new RegistryUnavailableException(describe(call.method(), call.uri(), response), null);
            }
            return response;
        }
    }

    private HttpResponse<InputStream> exchange(Call call, Optional<String> authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(call.uri())
                .timeout(call.timeout() != null ? call.timeout() : requestTimeout)
                .method(call.method(), call.body());
        for (int i = 0; i < call.headers().size(); i += 2) {
            request.header(call.headers().get(i), call.headers().get(i + 1));
        }
        authorization.ifPresent(value -> request.header("Authorization", value));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new RegistryUnavailableException(call.method() + " " + call.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("interrupted during " + call.method() + " " + call.uri(), e);
        }
    }

    /** Checks the status and releases the connection; the answer's headers stay readable. */
    private static void complete(HttpResponse<InputStream> response, int... statuses) {
        expect(response, statuses);
        discard(response);
    }

    private static void expect(HttpResponse<InputStream> response, int... statuses) {
        if (Arrays.stream(statuses).anyMatch(status -> status == response.statusCode())) {
            return;
        }
        String method = response.request().method();
        String message = describe(method, response.uri(), response);
        List<String> codes = errorCodes(message);
        OciRegistryException.Kind kind = switch (response.statusCode()) {
            case 401, 403 -> OciRegistryException.Kind.UNAUTHORIZED;
            case 404 -> OciRegistryException.Kind.NOT_FOUND;
            default -> OciRegistryException.Kind.REJECTED;
        };
        throw new OciRegistryException(kind, method, response.statusCode(), codes, message);
    }

    /** "METHOD url answered status: body excerpt", read from (and closing) the response body. */
    private static String describe(String method, URI uri, HttpResponse<InputStream> response) {
        String excerpt;
        try (InputStream in = response.body()) {
            excerpt = new String(in.readNBytes(MAX_EXCERPT), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            excerpt = "";
        }
        return method + " " + uri + " answered " + response.statusCode() + (excerpt.isEmpty() ? "" : ": " + excerpt);
    }

    private static List<String> errorCodes(String message) {
        int json = message.indexOf('{');
        if (json < 0) {
            return List.of();
        }
        try {
            List<String> codes = new ArrayList<>();
            for (JsonNode error : JSON.readTree(message.substring(json)).path("errors")) {
                codes.add(error.path("code").asText());
            }
            return codes;
        } catch (IOException e) {
            return List.of();
        }
    }

    private static byte[] read(Call call, HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new RegistryUnavailableException("reading the answer to " + call.method() + " " + call.uri() + " failed", e);
        }
    }

    private static void discard(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // The connection is simply not reused.
        }
    }

    private static String contentType(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Type").map(v -> v.split(";")[0].strip()).orElse(null);
    }

    private URI location(HttpResponse<InputStream> response) {
        String location = response.headers().firstValue("Location").orElseThrow(() -> new OciRegistryException(
                OciRegistryException.Kind.REJECTED, response.request().method(), response.statusCode(), List.of(),
                response.request().method() + " " + response.uri() + " answered " + response.statusCode()
                        + " without a Location"));
        return response.uri().resolve(location);
    }

    /** Same scheme, host and port (written or default): only there may credentials and tokens go. */
    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private URI manifestUri(String repository, String reference) {
        return endpoint.baseUri().resolve("/v2/" + repository + "/manifests/" + reference);
    }

    private URI blobUri(String repository, String digest) {
        return endpoint.baseUri().resolve("/v2/" + repository + "/blobs/" + digest);
    }

    private URI uploadsUri(String repository, String query) {
        return endpoint.baseUri().resolve("/v2/" + repository + "/blobs/uploads/" + (query == null ? "" : "?" + query));
    }

    private static String pull(String repository) {
        return "repository:" + repository + ":pull";
    }

    private static String push(String repository) {
        return "repository:" + repository + ":pull,push";
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
