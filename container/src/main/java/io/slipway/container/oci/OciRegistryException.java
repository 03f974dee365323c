package io.slipway.container.oci;

import java.util.List;

/**
 * A registry answered a request with an error that retrying will not cure. The message names the method, the URL
 * and the registry's answer (status, error codes, the start of its body); it never contains credentials.
 */
public class OciRegistryException extends RuntimeException {

    /** What kind of refusal it was. */
    public enum Kind {
        /** 401 after the credentials were offered, or 403: the credentials are wrong or lack the permission. */
        UNAUTHORIZED,
        /** 404: the repository, manifest or blob does not exist. */
        NOT_FOUND,
        /** Content whose bytes do not hash to the digest it was asked for by. */
        DIGEST_MISMATCH,
        /** Any other 4xx (invalid name, manifest, digest, size …). */
        REJECTED
    }

    private final Kind kind;
    private final String method;
    private final int status;
    private final List<String> errorCodes;

    public OciRegistryException(Kind kind, String method, int status, List<String> errorCodes, String message) {
        super(message);
        this.kind = kind;
        this.method = method;
        this.status = status;
        this.errorCodes = List.copyOf(errorCodes);
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP method of the refused request ({@code GET}, {@code PUT} …). */
    public String method() {
        return method;
    }

    /** The HTTP status, or 0 when the refusal is the client's own check (a digest mismatch). */
    public int status() {
        return status;
    }

    /** The OCI error codes of the answer ({@code MANIFEST_UNKNOWN}, {@code DENIED} …), possibly empty. */
    public List<String> errorCodes() {
        return errorCodes;
    }
}
