package io.slipway.notifier.domain;

/**
 * What a notification says about an environment: the environment a run was deployed to, restored in (a rollback) or
 * failed to deploy to. {@code targetKind}, {@code url}, {@code previousDigest}, {@code rolledBackRunId} and
 * {@code reason} may be null; for a failed deployment only {@code environment} is known (the environment keeps, or
 * took back, its previous version).
 */
public record Deployment(String environment, String targetKind, String url, String previousDigest, boolean rollback,
                         String rolledBackRunId, String reason) {

    /** The environment GitHub treats as production: the one named {@code production}. */
    public boolean production() {
        return "production".equals(environment);
    }

    /** A failed deployment to {@code environment}: nothing changed there. */
    public static Deployment failed(String environment) {
        return new Deployment(environment, null, null, null, false, null, null);
    }
}
