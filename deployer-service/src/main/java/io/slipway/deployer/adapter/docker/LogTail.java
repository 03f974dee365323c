package io.slipway.deployer.adapter.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;

import java.nio.charset.StandardCharsets;

/** Collects the last lines of a container's output (stdout and stderr interleaved), at most {@value #MAX_CHARS}. */
final class LogTail extends ResultCallback.Adapter<Frame> {

    static final int MAX_CHARS = 4000;

    private final StringBuilder text = new StringBuilder();

    @Override
    public void onNext(Frame frame) {
        synchronized (text) {
            text.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
            if (text.length() > 4 * MAX_CHARS) {
                text.delete(0, text.length() - MAX_CHARS);
            }
        }
    }

    /** What was collected, its end kept when longer than {@value #MAX_CHARS} characters. */
    String text() {
        synchronized (text) {
            return text.length() > MAX_CHARS ? text.substring(text.length() - MAX_CHARS) : text.toString();
        }
    }
}
