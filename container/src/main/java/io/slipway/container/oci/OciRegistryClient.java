package io.slipway.container.oci;

import java.io.InputStream;
import java.util.Optional;

/**
 * A client of one registry through the OCI distribution API (no Docker daemon): what a stage needs to look up,
 * copy and tag images. Authentication (basic, or bearer tokens from the registry's token service) is the client's
 * business. A refusal throws {@link OciRegistryException}; an unreachable or failing registry throws
 * {@link RegistryUnavailableException}.
 */
public interface OciRegistryClient {

    /** {@code host[:port]} of the registry; two clients with the same host can mount blobs between repositories. */
    String host();

    /** The descriptor of a manifest by tag or digest ({@code HEAD}), or empty when there is none. */
    Optional<Descriptor> headManifest(String repository, String reference);

    /**
     * The manifest by tag or digest, byte for byte; asked for by digest, its bytes are checked against it.
     *
     * @throws OciRegistryException of kind NOT_FOUND when there is none, DIGEST_MISMATCH when the bytes are not it
     */
    Manifest getManifest(String repository, String reference);

    /** Stores a manifest under a tag or its digest, byte for byte; returns the digest the registry reports. */
    String putManifest(String repository, String reference, Manifest manifest);

    /** Whether the repository has the blob ({@code HEAD}). */
    boolean hasBlob(String repository, String digest);

    /** Mounts a blob from another repository of this registry; false when the registry declined and it must be uploaded. */
    boolean mountBlob(String repository, String digest, String fromRepository);

    /** Uploads a blob, streaming exactly {@code blob.size()} bytes from {@code content}; the registry checks the digest. */
    void pushBlob(String repository, Descriptor blob, InputStream content);

    /** Opens a blob for reading; the caller closes the stream. */
    InputStream openBlob(String repository, String digest);
}
