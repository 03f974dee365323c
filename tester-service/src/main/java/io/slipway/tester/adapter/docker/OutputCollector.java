package io.slipway.tester.adapter.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Collects a container's or exec's stdout and stderr (a TTY's single stream counts as stdout), each bounded. */
final class OutputCollector extends ResultCallback.Adapter<Frame> {

    static final int MAX_BYTES = 1024 * 1024;

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    @Override
    public void onNext(Frame frame) {
        ByteArrayOutputStream target = frame.getStreamType() == StreamType.STDERR ? stderr : stdout;
        synchronized (this) {
            int room = MAX_BYTES - target.size();
            if (room > 0) {
                target.write(frame.getPayload(), 0, Math.min(room, frame.getPayload().length));
            }
        }
    }

    synchronized String stdout() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    synchronized String stderr() {
        return stderr.toString(StandardCharsets.UTF_8);
    }
}
