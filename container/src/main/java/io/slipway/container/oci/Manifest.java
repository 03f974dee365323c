package io.slipway.container.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An image manifest or index exactly as the registry served it: its bytes (never re-serialized, so its digest is
 * preserved), its media type, and the digest of those bytes. Docker v2 schema 2 manifests and manifest lists are
 * read like their OCI equivalents.
 */
public record Manifest(String mediaType, byte[] bytes, String digest) {

    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    /** Every manifest media type this client reads, for the {@code Accept} header. */
    public static final List<String> MEDIA_TYPES = List.of(OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_LIST);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The manifest of these bytes; the media type is the document's own, else {@code served} (Content-Type). */
    public static Manifest of(byte[] bytes, String served, String digestAlgorithmLike) {
        JsonNode declared = tree(bytes).get("mediaType");
        String mediaType = declared != null && declared.isTextual() ? declared.asText() : served;
        return new Manifest(mediaType, bytes, Digests.of(bytes, digestAlgorithmLike));
    }

    /** The blobs the manifest references: its config and its layers (foreign layers, stored elsewhere, excluded). */
    public List<Descriptor> blobs() {
        JsonNode tree = tree(bytes);
        List<Descriptor> blobs = new ArrayList<>();
        if (tree.has("config")) {
            blobs.add(descriptor(tree.get("config")));
        }
        for (JsonNode layer : tree.path("layers")) {
            if (!layer.has("urls")) {
                blobs.add(descriptor(layer));
            }
        }
        return blobs;
    }

    /** The manifests an index references (empty for an image manifest). */
    public List<Descriptor> manifests() {
        List<Descriptor> children = new ArrayList<>();
        for (JsonNode child : tree(bytes).path("manifests")) {
            children.add(descriptor(child));
        }
        return children;
    }

    private static Descriptor descriptor(JsonNode node) {
        return new Descriptor(node.path("mediaType").asText(null), node.path("digest").asText(), node.path("size").asLong());
    }

    private static JsonNode tree(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("manifest is not JSON: " + e.getMessage(), e);
        }
    }
}
