package io.slipway.tester.support;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.PushResponseItem;
import io.slipway.common.testing.DockerTestImages;
import io.slipway.common.testing.LocalRegistry;
import io.slipway.container.DockerEngine;
import io.slipway.container.SlipwayLabels;
import io.slipway.tester.domain.ImageRef;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The images the tester's tests run against, staged once per JVM the way the builder stages them: built locally
 * {@code FROM} the scratch busybox base, pushed to a real registry with htpasswd auth, known by digest, and removed
 * from the engine so the tester has to pull them.
 */
public final class StagedImages {

    public static final String USER = "slipway";
    public static final String PASSWORD = "staging-secret";
    private static StagedImages instance;

    private final DockerClient docker = DockerEngine.connect(null, Duration.ofMinutes(5));
    private final LocalRegistry registry;
    private final ImageRef sample;
    private final ImageRef unsafe;

    private StagedImages() throws IOException {
        Path dir = Files.createTempDirectory("tester-registry");
        registry = LocalRegistry.start(dir, USER, PASSWORD);
        Runtime.getRuntime().addShutdownHook(new Thread(this::cleanUp));
        String base = DockerTestImages.busybox();
        sample = stage("sample", base);
        unsafe = stage("unsafe", base);
    }

    /** The JVM-wide registry and images, staged on first use. */
    public static synchronized StagedImages get() {
        if (instance == null) {
            try {
                instance = new StagedImages();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    public DockerClient docker() {
        return docker;
    }

    public LocalRegistry registry() {
        return registry;
    }

    /** A well-behaved busybox httpd service image that satisfies every built-in policy. */
    public ImageRef sample() {
        return sample;
    }

    /** A busybox image that breaks every built-in policy (root, no HEALTHCHECK, setuid file, secret env). */
    public ImageRef unsafe() {
        return unsafe;
    }

    /** A suite file from {@code src/test/resources/suites}. */
    public static String suite(String name) {
        try (InputStream in = StagedImages.class.getResourceAsStream("/suites/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalArgumentException("no test suite " + name, e);
        }
    }

    /** Ids of containers on the engine that carry {@code io.slipway.managed=tester} and {@code instance}. */
    public List<String> containersOf(String instance) {
        return docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(SlipwayLabels.MANAGED, "tester",
                "io.slipway.tester.instance", instance)).exec().stream().map(c -> c.getId()).toList();
    }

    private void cleanUp() {
        for (ImageRef image : List.of(sample, unsafe)) {
            try {
                docker.removeImageCmd(image.reference()).withForce(true).exec();
            } catch (RuntimeException e) {
                // never pulled, or already gone
            }
        }
        registry.close();
    }

    private ImageRef stage(String name, String base) throws IOException {
        Path context = Files.createTempDirectory("tester-image-" + name);
        try (InputStream in = StagedImages.class.getResourceAsStream("/images/" + name + "/Dockerfile")) {
            Files.writeString(context.resolve("Dockerfile"),
                    new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("BASE_IMAGE", base));
        }
        String repository = registry.host() + "/staging/" + name;
        String tag = UUID.randomUUID().toString().substring(0, 8);
        docker.buildImageCmd(context.toFile()).withTags(Set.of(repository + ":" + tag)).withPull(false)
                .exec(new BuildImageResultCallback()).awaitImageId(3, TimeUnit.MINUTES);
        AuthConfig auth = new AuthConfig().withUsername(USER).withPassword(PASSWORD).withRegistryAddress(registry.host());
        try {
            docker.pushImageCmd(repository).withTag(tag).withAuthConfig(auth)
                    .exec(new ResultCallback.Adapter<PushResponseItem>()).awaitCompletion(3, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        String digest = docker.inspectImageCmd(repository + ":" + tag).exec().getRepoDigests().stream()
                .filter(d -> d.startsWith(repository + "@")).findFirst()
                .orElseThrow(() -> new IllegalStateException("push of " + repository + " left no digest"))
                .substring(repository.length() + 1);
        docker.removeImageCmd(repository + ":" + tag).withForce(true).exec();
        return new ImageRef(registry.host(), "staging/" + name, digest);
    }
}
