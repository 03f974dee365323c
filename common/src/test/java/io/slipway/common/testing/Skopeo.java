package io.slipway.common.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's {@code skopeo}, a registry client independent of Slipway's, to check what a stage pushed or published. */
public final class Skopeo {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Skopeo() {
    }

    /** {@code skopeo inspect} of {@code repository:tag}: {@code Digest}, {@code Labels}, {@code Layers} … */
    public static JsonNode inspect(LocalRegistry registry, String reference) {
        return run(registry, "inspect", "docker://" + registry.host() + "/" + reference);
    }

    /** Every tag of a repository, from {@code skopeo list-tags}. */
    public static List<String> tags(LocalRegistry registry, String repository) {
        List<String> tags = new ArrayList<>();
        run(registry, "list-tags", "docker://" + registry.host() + "/" + repository).path("Tags")
                .forEach(tag -> tags.add(tag.asText()));
        return tags;
    }

    private static JsonNode run(LocalRegistry registry, String command, String target) {
        try {
            Process process = new ProcessBuilder("skopeo", command, "--tls-verify=false",
                    "--creds", registry.user() + ":" + registry.password(), target).start();
            byte[] out = process.getInputStream().readAllBytes();
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("skopeo " + command + " " + target + " failed: " + err);
            }
            return JSON.readTree(out);
        } catch (IOException e) {
            throw new UncheckedIOException("skopeo is missing? apt-get install skopeo", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
