package io.slipway.tester.adapter.docker;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ContainerNetwork;
import io.slipway.common.kafka.TransientFailure;
import io.slipway.tester.domain.ImageUnderTest;
import io.slipway.tester.domain.ImageUnderTest.Exec;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A service container started with the image's own entrypoint, reached at its address on the service network (the
 * tester must be able to route to that network: run it on the Docker host or attached to the same network).
 */
final class DockerService implements ImageUnderTest.Service {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final int MAX_BODY_BYTES = 1024 * 1024;

    private final Sandbox sandbox;
    private final String id;
    private final Exec failedStart;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    DockerService(Sandbox sandbox, String id, Exec failedStart) {
        this.sandbox = sandbox;
        this.id = id;
        this.failedStart = failedStart;
    }

    @Override
    public boolean awaitPort(int port, Duration deadline) {
        Instant until = Instant.now().plus(deadline);
        while (failedStart == null) {
            InspectContainerResponse state = inspect();
            if (!Boolean.TRUE.equals(state.getState().getRunning())) {
                return false;
            }
            String address = address(state);
            if (address != null) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(address, port), (int) POLL.toMillis());
                    return true;
                } catch (IOException notYet) {
                    // not listening yet
                }
            }
            if (!Instant.now().plus(POLL).isBefore(until)) {
                return false;
            }
            pause();
        }
        return false;
    }

    @Override
    public ImageUnderTest.HttpAnswer http(int port, String method, String path, Map<String, String> headers,
                                          Duration deadline) {
        String address = address(inspect());
        if (address == null) {
            return new ImageUnderTest.HttpAnswer(-1, "the container has no address on network " + sandbox.network());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + address + ":" + port + path))
                .timeout(deadline).method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                return new ImageUnderTest.HttpAnswer(response.statusCode(),
                        new String(body.readNBytes(MAX_BODY_BYTES), StandardCharsets.UTF_8));
            }
        } catch (IOException | IllegalArgumentException e) {
            return new ImageUnderTest.HttpAnswer(-1, "no answer from " + method + " " + path + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFailure("interrupted during an HTTP check", e);
        }
    }

    @Override
    public Exec exec(List<String> argv, Duration deadline) {
        try {
            String exec = sandbox.docker().execCreateCmd(id).withCmd(argv.toArray(String[]::new))
                    .withAttachStdout(true).withAttachStderr(true).exec().getId();
            OutputCollector output = sandbox.docker().execStartCmd(exec).exec(new OutputCollector());
            boolean done = output.awaitCompletion(deadline.toMillis(), TimeUnit.MILLISECONDS);
            Long code = done ? sandbox.docker().inspectExecCmd(exec).exec().getExitCodeLong() : null;
            return new Exec(code == null ? -1 : code.intValue(), output.stdout(), output.stderr(), !done);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFailure("interrupted during docker exec", e);
        } catch (RuntimeException e) {
            throw DockerErrors.of("exec " + argv + " in " + id, e);
        }
    }

    @Override
    public String logs() {
        if (failedStart != null) {
            return failedStart.stderr();
        }
        OutputCollector output = sandbox.output(id, 100);
        return output.stdout() + output.stderr();
    }

    @Override
    public void close() {
        sandbox.remove(id);
    }

    private InspectContainerResponse inspect() {
        try {
            return sandbox.docker().inspectContainerCmd(id).exec();
        } catch (RuntimeException e) {
            throw DockerErrors.of("inspect container " + id, e);
        }
    }

    private String address(InspectContainerResponse state) {
        Map<String, ContainerNetwork> networks = state.getNetworkSettings() == null ? null
                : state.getNetworkSettings().getNetworks();
        ContainerNetwork network = networks == null ? null : networks.get(sandbox.network());
        String ip = network == null ? null : network.getIpAddress();
        return ip == null || ip.isBlank() ? null : ip;
    }

    private static void pause() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientFailure("interrupted while waiting for a service port", e);
        }
    }
}
