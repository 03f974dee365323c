package io.slipway.common.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Test images made without a Docker daemon and without the client under test: a config JSON with labels and
 * gzipped tar layers, pushed blob by blob and then as an OCI manifest straight through a registry's HTTP API.
 */
public final class TestImages {

    /** An image in a registry: where it is, its manifest digest, and the digests of its blobs (config first). */
    public record Pushed(String registry, String repository, String digest, byte[] manifest, List<String> blobs) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private TestImages() {
    }

    /** The OCI labels the builder puts on every image of a run. */
    public static Map<String, String> labels(String sha, String runId) {
        return Map.of("org.opencontainers.image.revision", sha,
                "org.opencontainers.image.source", "https://git.example.com/org/app",
                "org.opencontainers.image.created", "2026-03-01T10:00:00Z",
                "io.slipway.run-id", runId);
    }

    /** A gzipped tar holding one file {@code name} with {@code content}. */
    public static byte[] layer(String name, byte[] content) {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        byte[] header = new byte[512];
        put(header, 0, name);
        put(header, 100, "0000644");
        put(header, 108, "0000000");
        put(header, 116, "0000000");
        put(header, 124, String.format("%011o", content.length));
        put(header, 136, String.format("%011o", 1_772_359_200L));
        header[156] = '0';
        put(header, 257, "ustar");
        put(header, 263, "00");
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o", sum));
        header[154] = 0;
        tar.writeBytes(header);
        tar.writeBytes(content);
        tar.writeBytes(new byte[(512 - content.length % 512) % 512 + 1024]);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(tar.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return gz.toByteArray();
    }

    /** Pushes an image of these layers with a config carrying {@code labels}, tagged {@code tag}. */
    public static Pushed push(LocalRegistry registry, String repository, String tag, Map<String, String> labels,
                              List<byte[]> layers) {
        ObjectNode config = JSON.createObjectNode().put("architecture", "amd64").put("os", "linux")
                .put("created", "2026-03-01T10:00:00Z");
        ObjectNode labelNode = config.putObject("config").putObject("Labels");
        labels.forEach(labelNode::put);
        ObjectNode rootfs = config.putObject("rootfs").put("type", "layers");
        ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2)
                .put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        List<String> blobs = new ArrayList<>();
        for (byte[] layer : layers) {
            rootfs.withArray("diff_ids").add(digest(gunzip(layer)));
            manifest.withArray("layers").add(descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layer));
        }
        byte[] configBytes = config.toString().getBytes(StandardCharsets.UTF_8);
        manifest.set("config", descriptor("application/vnd.oci.image.config.v1+json", configBytes));
        blobs.add(pushBlob(registry, repository, configBytes));
        layers.forEach(layer -> blobs.add(pushBlob(registry, repository, layer)));
        byte[] manifestBytes = manifest.toString().getBytes(StandardCharsets.UTF_8);
        send(registry, HttpRequest.newBuilder(registry.url().resolve("/v2/" + repository + "/manifests/" + tag))
                .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifestBytes)), 201);
        return new Pushed(registry.host(), repository, digest(manifestBytes), manifestBytes, blobs);
    }

    /** Pushes an OCI index of images already in the repository (amd64 first, then arm64), tagged {@code tag}. */
    public static Pushed pushIndex(LocalRegistry registry, String repository, String tag, List<Pushed> images) {
        ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2)
                .put("mediaType", "application/vnd.oci.image.index.v1+json");
        String[] architectures = {"amd64", "arm64"};
        for (int i = 0; i < images.size(); i++) {
            ObjectNode child = descriptor("application/vnd.oci.image.manifest.v1+json", images.get(i).manifest());
            child.putObject("platform").put("os", "linux").put("architecture", architectures[i % 2]);
            index.withArray("manifests").add(child);
        }
        byte[] bytes = index.toString().getBytes(StandardCharsets.UTF_8);
        send(registry, HttpRequest.newBuilder(registry.url().resolve("/v2/" + repository + "/manifests/" + tag))
                .header("Content-Type", "application/vnd.oci.image.index.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)), 201);
        return new Pushed(registry.host(), repository, digest(bytes), bytes,
                images.stream().flatMap(image -> image.blobs().stream()).toList());
    }

    /** Pushes an image with one small layer of random content: a distinct digest every time. */
    public static Pushed pushSmall(LocalRegistry registry, String repository, String sha, String runId) {
        byte[] content = ("built from " + sha + " by " + runId + " " + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
        return push(registry, repository, sha.substring(0, 12), labels(sha, runId), List.of(layer("app/version", content)));
    }

    public static String digest(byte[] content) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pushBlob(LocalRegistry registry, String repository, byte[] blob) {
        String digest = digest(blob);
        HttpResponse<String> started = send(registry, HttpRequest.newBuilder(
                registry.url().resolve("/v2/" + repository + "/blobs/uploads/")).POST(HttpRequest.BodyPublishers.noBody()), 202);
        URI location = started.uri().resolve(started.headers().firstValue("Location").orElseThrow());
        String separator = location.getQuery() == null ? "?" : "&";
        send(registry, HttpRequest.newBuilder(URI.create(location + separator + "digest=" + digest))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(blob)), 201);
        return digest;
    }

    private static HttpResponse<String> send(LocalRegistry registry, HttpRequest.Builder request, int expected) {
        String credentials = registry.user() + ":" + registry.password();
        request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException(response.request().method() + " " + response.uri() + " answered "
                        + response.statusCode() + ": " + response.body());
            }
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode descriptor(String mediaType, byte[] content) {
        return JSON.createObjectNode().put("mediaType", mediaType).put("digest", digest(content)).put("size", content.length);
    }

    private static byte[] gunzip(byte[] gz) {
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void put(byte[] header, int offset, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }
}
