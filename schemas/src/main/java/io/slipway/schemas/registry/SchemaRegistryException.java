package io.slipway.schemas.registry;

import java.net.URI;

/**
 * A request to the schema registry failed. Carries the HTTP status, Confluent's {@code error_code} and message from
 * the error body {@code {"error_code": …, "message": …}}, and the request method and URL.
 */
public class SchemaRegistryException extends RuntimeException {

    public static final int SUBJECT_NOT_FOUND = 40401;
    public static final int VERSION_NOT_FOUND = 40402;
    public static final int SCHEMA_NOT_FOUND = 40403;
    /** Incompatible schema as registries up to late 2025 report it (the bare HTTP status). */
    public static final int INCOMPATIBLE_SCHEMA_LEGACY = 409;
    /** Incompatible schema as newer registries report it. */
    public static final int INCOMPATIBLE_SCHEMA = 40901;
    public static final int INVALID_SCHEMA = 42201;
    public static final int INVALID_VERSION = 42202;
    public static final int INVALID_COMPATIBILITY_LEVEL = 42203;
    /** Used, as Confluent's own client does, when an error body is not the documented JSON. */
    public static final int UNPARSEABLE_ERROR_BODY = 50005;

    private final String method;
    private final URI url;
    private final int status;
    private final int errorCode;
    private final String registryMessage;

    public SchemaRegistryException(String method, URI url, int status, int errorCode, String registryMessage) {
        this(method, url, status, errorCode, registryMessage, null,
                method + " " + url + " failed: HTTP " + status + ", error_code " + errorCode + ": " + registryMessage);
    }

    protected SchemaRegistryException(String method, URI url, int status, int errorCode, String registryMessage,
                                      Throwable cause, String message) {
        super(message, cause);
        this.method = method;
        this.url = url;
        this.status = status;
        this.errorCode = errorCode;
        this.registryMessage = registryMessage;
    }

    public String method() {
        return method;
    }

    public URI url() {
        return url;
    }

    /** The HTTP status, or -1 when no response was received. */
    public int status() {
        return status;
    }

    /** Confluent's {@code error_code}, or -1 when no response was received. */
    public int errorCode() {
        return errorCode;
    }

    /** The registry's {@code message}, verbatim. */
    public String registryMessage() {
        return registryMessage;
    }

    /** Any "not found" (HTTP 404, error codes 404xx). */
    public boolean isNotFound() {
        return status == 404 || errorCode / 100 == 404;
    }

    public boolean isSubjectNotFound() {
        return errorCode == SUBJECT_NOT_FOUND;
    }

    public boolean isVersionNotFound() {
        return errorCode == VERSION_NOT_FOUND;
    }

    public boolean isSchemaNotFound() {
        return errorCode == SCHEMA_NOT_FOUND;
    }

    /** The schema is incompatible with an earlier version of the subject: error code 409 (older) or 40901 (newer). */
    public boolean isIncompatible() {
        return errorCode == INCOMPATIBLE_SCHEMA_LEGACY || errorCode == INCOMPATIBLE_SCHEMA;
    }

    public boolean isInvalidSchema() {
        return errorCode == INVALID_SCHEMA;
    }

    /** Worth retrying later: the registry was unreachable or answered with a server error (5xx). */
    public boolean isTransient() {
        return status >= 500;
    }
}
