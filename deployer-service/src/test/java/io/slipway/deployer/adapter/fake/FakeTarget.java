package io.slipway.deployer.adapter.fake;

import com.sun.net.httpserver.HttpServer;
import io.slipway.deployer.domain.DeployFailed;
import io.slipway.deployer.domain.DeployRequest;
import io.slipway.deployer.domain.Deployment;
import io.slipway.deployer.domain.DeploymentTarget;
import io.slipway.deployer.domain.TargetUnavailable;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deployment target for tests, of kind {@code fake}: it "runs" one digest at a time and serves it on a loopback
 * HTTP server, answering {@code 200 running <digest>} on every path, or 500 for a digest marked bad, so smoke checks
 * see what runs. It records every deployment request, counts the HTTP requests it answered, and can be told to refuse or be unreachable.
 */
public final class FakeTarget implements DeploymentTarget, AutoCloseable {

    private final List<DeployRequest> requests = new ArrayList<>();
    private final Set<String> bad = ConcurrentHashMap.newKeySet();
    private final AtomicInteger unavailable = new AtomicInteger();
    private final AtomicInteger served = new AtomicInteger();
    private volatile String running;
    private volatile DeployFailed refusal;
    private final HttpServer server;

    public FakeTarget() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            served.incrementAndGet();
            String digest = running;
            boolean healthy = digest != null && !bad.contains(digest);
            byte[] body = ("running " + digest).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(healthy ? 200 : 500, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    /** Where the running digest answers. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** Smoke checks fail (500) while {@code digest} runs. */
    public void markBad(String digest) {
        bad.add(digest);
    }

    /** Smoke checks pass again while {@code digest} runs. */
    public void markGood(String digest) {
        bad.remove(digest);
    }

    /** The next deployment is refused with {@code failure} (nothing changes). */
    public void refuseNext(DeployFailed failure) {
        refusal = failure;
    }

    /** The next {@code times} deployments find the target unreachable. */
    public void unavailableFor(int times) {
        unavailable.set(times);
    }

    /** How many HTTP requests (smoke checks) it answered. */
    public int served() {
        return served.get();
    }

    public String running() {
        return running;
    }

    public synchronized List<DeployRequest> requests() {
        return List.copyOf(requests);
    }

    @Override
    public Kind kind() {
        return Kind.DOCKER;
    }

    @Override
    public Deployment deploy(DeployRequest request) throws DeployFailed, TargetUnavailable {
        if (unavailable.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new TargetUnavailable("the fake engine is down", null);
        }
        DeployFailed refused = refusal;
        if (refused != null) {
            refusal = null;
            throw refused;
        }
        synchronized (this) {
            requests.add(request);
        }
        running = request.artifact().digest();
        return new Deployment(Optional.empty(), Duration.ofMillis(1));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
