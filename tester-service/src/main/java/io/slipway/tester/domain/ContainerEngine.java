package io.slipway.tester.domain;

/**
 * Where images are pulled and containers run (a Docker engine). Implementations throw the common
 * {@code TransientFailure} when the engine or the registry cannot be reached.
 */
public interface ContainerEngine {

    /**
     * Pulls the image by digest and opens it for testing; containers it starts carry {@code runId}.
     *
     * @throws ImageUnavailable when the registry answers that the image does not exist or may not be read
     * @throws RegistryNotAllowed when the image is not in the registry the tester is configured for (or none is)
     */
    ImageUnderTest open(ImageRef image, String runId);

    /**
     * The image names a registry other than the tester's configured one, or none is configured: it is refused before
     * anything is sent anywhere, so neither a pull nor the tester's credentials reach a host the event chose.
     */
    final class RegistryNotAllowed extends RuntimeException {
        public RegistryNotAllowed(String message) {
            super(message);
        }
    }

    /** The registry refused the image: unknown digest, or credentials refused. */
    final class ImageUnavailable extends RuntimeException {
        private final boolean retryable;

        public ImageUnavailable(String message, boolean retryable, Throwable cause) {
            super(message, cause);
            this.retryable = retryable;
        }

        /** True when fixing the tester's configuration (credentials) and re-running can help. */
        public boolean retryable() {
            return retryable;
        }
    }
}
