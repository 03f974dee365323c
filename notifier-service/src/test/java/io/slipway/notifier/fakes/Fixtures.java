package io.slipway.notifier.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The documented API bodies under {@code shared/fixtures}, found above the working directory. */
public final class Fixtures {

    static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    /** A fresh, mutable copy of the JSON fixture at {@code relative}, e.g. {@code github/rest/issue.response.documented.json}. */
    public static JsonNode json(String relative) {
        Path root = Stream.iterate(Path.of(System.getProperty("user.dir")).toAbsolutePath(), p -> p != null, Path::getParent)
                .map(dir -> dir.resolve("shared/fixtures")).filter(Files::isDirectory).findFirst()
                .orElseThrow(() -> new IllegalStateException("no shared/fixtures above " + System.getProperty("user.dir")));
        try {
            return JSON.readTree(Files.readString(root.resolve(relative)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read fixture " + relative, e);
        }
    }

    public static ObjectNode object(String relative) {
        return (ObjectNode) json(relative);
    }
}
