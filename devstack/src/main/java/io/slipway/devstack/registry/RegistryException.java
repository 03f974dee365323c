package io.slipway.devstack.registry;

/**
 * A request the registry refuses, carrying Confluent's HTTP status and {@code error_code} (whose first three digits
 * are the status) so the HTTP layer can answer with the exact {@code {"error_code", "message"}} body.
 */
final class RegistryException extends RuntimeException {

    private final int status;
    private final int errorCode;

    RegistryException(int status, int errorCode, String message) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
    }

    int status() {
        return status;
    }

    int errorCode() {
        return errorCode;
    }

    static RegistryException subjectNotFound(String subject) {
        return new RegistryException(404, 40401, "Subject '" + subject + "' not found.");
    }

    static RegistryException versionNotFound(String version) {
        return new RegistryException(404, 40402, "Version " + version + " not found.");
    }

    static RegistryException schemaNotFound(String id) {
        return new RegistryException(404, 40403, "Schema " + id + " not found");
    }

    static RegistryException schemaNotFoundInSubject() {
        return new RegistryException(404, 40403, "Schema not found");
    }

    static RegistryException subjectSoftDeleted(String subject) {
        return new RegistryException(404, 40404,
                "Subject '" + subject + "' was soft deleted.Set permanent=true to delete permanently");
    }

    static RegistryException versionSoftDeleted(String subject, int version) {
        return new RegistryException(404, 40406,
                "Subject '" + subject + "' Version " + version + " was soft deleted.Set permanent=true to delete permanently");
    }

    static RegistryException noSubjectCompatibility(String subject) {
        return new RegistryException(404, 40408,
                "Subject '" + subject + "' does not have subject-level compatibility configured");
    }

    static RegistryException incompatible(String subject, String details) {
        return new RegistryException(409, 409, "Schema being registered is incompatible with an earlier schema for subject \""
                + subject + "\", details: " + details);
    }

    static RegistryException invalidSchema(String message) {
        return new RegistryException(422, 42201, message);
    }

    static RegistryException invalidVersion(String version) {
        return new RegistryException(422, 42202, "The specified version '" + version + "' is not a valid version id. "
                + "Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    static RegistryException invalidCompatibility() {
        return new RegistryException(422, 42203, CompatibilityLevel.INVALID_MESSAGE);
    }

    static RegistryException notPermitted(String message) {
        return new RegistryException(422, 42205, message);
    }

    static RegistryException storeError(String message, Throwable cause) {
        RegistryException e = new RegistryException(500, 50001, "Error in the backend data store: " + message);
        e.initCause(cause);
        return e;
    }
}
