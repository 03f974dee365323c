package io.slipway.container.oci;

/** A content descriptor of the OCI image spec: what a manifest says about a blob or a child manifest. */
public record Descriptor(String mediaType, String digest, long size) {
}
