package io.slipway.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Connects to a Docker Engine through its API ({@code DOCKER_HOST}: a unix socket or tcp address, default
 * {@code unix:///var/run/docker.sock}; over TLS as Docker's client does with {@code DOCKER_TLS_VERIFY} and
 * {@code DOCKER_CERT_PATH}). The one place where stages create a docker-java client.
 */
public final class DockerEngine {

    public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

    private DockerEngine() {
    }

    /**
     * A client for the engine at {@code dockerHost} (blank: {@link #DEFAULT_HOST}), over TLS when this process's
     * environment says so ({@link #tlsCertPath}); {@code responseTimeout} bounds each API call (long-running builds
     * stream, so keep it generous).
     */
    public static DockerClient connect(String dockerHost, Duration responseTimeout) {
        return connect(dockerHost, tlsCertPath(System.getenv()), responseTimeout);
    }

    /**
     * The certificate directory an environment asks for, as Docker's client reads it: when {@code DOCKER_TLS_VERIFY}
     * is set (to anything but empty, {@code 0} or {@code false}), {@code DOCKER_CERT_PATH}, or {@code ~/.docker} when
     * that is unset; otherwise null (no TLS).
     */
    public static String tlsCertPath(Map<String, String> environment) {
        String verify = environment.getOrDefault("DOCKER_TLS_VERIFY", "").strip();
        if (verify.isEmpty() || verify.equals("0") || verify.equalsIgnoreCase("false")) {
            return null;
        }
        String certPath = environment.get("DOCKER_CERT_PATH");
        return certPath == null || certPath.isBlank()
                ? Path.of(System.getProperty("user.home"), ".docker").toString() : certPath.strip();
    }

    /**
     * A client for the engine at {@code dockerHost} that, when {@code tlsCertPath} is given, speaks TLS and verifies
     * the engine with {@code ca.pem} and authenticates with {@code cert.pem}/{@code key.pem} from that directory
     * (the layout of {@code DOCKER_CERT_PATH}); null or blank keeps the default.
     */
    public static DockerClient connect(String dockerHost, String tlsCertPath, Duration responseTimeout) {
        String host = dockerHost == null || dockerHost.isBlank() ? DEFAULT_HOST : dockerHost;
        DefaultDockerClientConfig.Builder builder = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host);
        if (tlsCertPath != null && !tlsCertPath.isBlank()) {
            builder.withDockerTlsVerify(true).withDockerCertPath(tlsCertPath);
        }
        DefaultDockerClientConfig config = builder.build();
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(32)
                .connectionTimeout(Duration.ofSeconds(10))
                .responseTimeout(responseTimeout)
                .build();
        return DockerClientImpl.getInstance(config, http);
    }
}
