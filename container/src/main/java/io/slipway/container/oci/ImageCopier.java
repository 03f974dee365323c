package io.slipway.container.oci;

import java.io.IOException;
import java.io.InputStream;

/**
 * Copies an image by digest from a repository of one registry to a repository of the same or another registry,
 * without a Docker daemon. Each blob the target already has is skipped ({@code HEAD}); on the same registry a
 * missing blob is mounted from the source repository; otherwise it is streamed from source to target without
 * touching the disk. Manifests (an index's children first) are stored by digest, byte for byte, so the digest is
 * preserved; tagging is a separate step.
 */
public final class ImageCopier {

    /** What a copy did with the blobs it needed. */
    public record CopyReport(int blobsPresent, int blobsMounted, int blobsUploaded, long bytesUploaded) {

        CopyReport plus(CopyReport other) {
            return new CopyReport(blobsPresent + other.blobsPresent, blobsMounted + other.blobsMounted,
                    blobsUploaded + other.blobsUploaded, bytesUploaded + other.bytesUploaded);
        }
    }

    private static final CopyReport PRESENT = new CopyReport(1, 0, 0, 0);
    private static final CopyReport MOUNTED = new CopyReport(0, 1, 0, 0);

    /**
     * Copies the manifest {@code digest} and everything it references; returns the manifest as stored.
     *
     * @throws OciRegistryException NOT_FOUND (from a GET) when the source lacks the manifest or a blob
     */
    public Copied copy(OciRegistryClient source, String sourceRepository, String digest,
                       OciRegistryClient target, String targetRepository) {
        Manifest manifest = source.getManifest(sourceRepository, digest);
        CopyReport report = new CopyReport(0, 0, 0, 0);
        for (Descriptor child : manifest.manifests()) {
            report = report.plus(copy(source, sourceRepository, child.digest(), target, targetRepository).report());
        }
        for (Descriptor blob : manifest.blobs()) {
            report = report.plus(copyBlob(source, sourceRepository, blob, target, targetRepository));
        }
        target.putManifest(targetRepository, digest, manifest);
        return new Copied(manifest, report);
    }

    /** The manifest a copy stored and what it cost. */
    public record Copied(Manifest manifest, CopyReport report) {
    }

    private static CopyReport copyBlob(OciRegistryClient source, String sourceRepository, Descriptor blob,
                                       OciRegistryClient target, String targetRepository) {
        if (target.hasBlob(targetRepository, blob.digest())) {
            return PRESENT;
        }
        if (source.host().equals(target.host()) && target.mountBlob(targetRepository, blob.digest(), sourceRepository)) {
            return MOUNTED;
        }
        try (InputStream content = source.openBlob(sourceRepository, blob.digest())) {
            target.pushBlob(targetRepository, blob, content);
        } catch (IOException e) {
            throw new RegistryUnavailableException("reading blob " + blob.digest() + " of " + sourceRepository
                    + " on " + source.host() + " failed", e);
        }
        return new CopyReport(0, 0, 1, blob.size());
    }
}
