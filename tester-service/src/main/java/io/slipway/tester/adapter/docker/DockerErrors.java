package io.slipway.tester.adapter.docker;

import com.github.dockerjava.api.exception.DockerException;
import io.slipway.common.kafka.TransientFailure;

import java.io.IOException;

/** Sorts Docker engine errors into transient ones (engine or registry unreachable, 5xx, timeouts) and the rest. */
final class DockerErrors {

    private DockerErrors() {
    }

    /** The exception to throw for {@code e}: a {@link TransientFailure} when retrying may help, else a plain error. */
    static RuntimeException of(String what, RuntimeException e) {
        if (e instanceof TransientFailure) {
            return e;
        }
        if (isTransient(e)) {
            return new TransientFailure("Docker engine: " + what + " failed: " + e.getMessage(), e);
        }
        return new IllegalStateException("Docker engine: " + what + " failed: " + e.getMessage(), e);
    }

    static boolean isTransient(Throwable e) {
        if (e instanceof DockerException d) {
            return d.getHttpStatus() >= 500 || d.getHttpStatus() == 408 || d.getHttpStatus() == 429;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }
}
