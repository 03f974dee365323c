package io.slipway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A harness's command line: {@code --name=value} options, a usage line and exit status 2 for anything else. */
final class BenchOptions {

    private final Map<String, String> values;

    private BenchOptions(Map<String, String> values) {
        this.values = values;
    }

    /** The options of {@code args}; prints {@code usage} and exits with 2 on an argument that is not {@code --name=value}. */
    static BenchOptions parse(String[] args, String usage) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                System.err.println("usage: " + usage);
                System.exit(2);
            }
            values.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        return new BenchOptions(values);
    }

    /** The value of {@code --name}; an {@link IllegalArgumentException} naming it when missing or blank. */
    String required(String name) {
        String value = values.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    /** Prints the Markdown {@code report} and, with {@code --out=FILE}, writes it there too. */
    void publish(String report) throws IOException {
        System.out.println(report);
        if (values.containsKey("out")) {
            Files.writeString(Path.of(values.get("out")), report);
        }
    }

    String getOrDefault(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    boolean containsKey(String name) {
        return values.containsKey(name);
    }

    String get(String name) {
        return values.get(name);
    }
}
