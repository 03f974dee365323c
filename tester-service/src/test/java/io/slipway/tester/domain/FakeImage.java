package io.slipway.tester.domain;

import io.slipway.tester.domain.GoSemantics.FileType;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** An image in memory for domain tests: a configuration, files, canned command results and a canned service. */
final class FakeImage implements ImageUnderTest {

    final List<List<String>> commands = new ArrayList<>();
    final List<String> envs = new ArrayList<>();
    final Map<String, FileEntry> files = new HashMap<>();
    final Map<String, String> contents = new HashMap<>();
    Config config = config(Map.of(), "1000");
    Function<List<String>, Exec> exec = argv -> new Exec(0, "", "", false);
    boolean listening = true;
    final List<Duration> deadlines = new ArrayList<>();
    Map<String, HttpAnswer> answers = new HashMap<>();
    int servicesStarted;
    boolean closed;
    volatile boolean aborted;

    static Config config(Map<String, String> env, String user) {
        return new Config(env, Map.of(), List.of(), List.of(), List.of(), List.of("sh"), "", user, List.of("CMD", "true"));
    }

    FakeImage file(String path, FileType type, int mode, String content) {
        files.put(path, new FileEntry(path, type, mode, 0, 0, null));
        if (content != null) {
            contents.put(path, content);
        }
        return this;
    }

    @Override
    public Config config() {
        return config;
    }

    @Override
    public Exec run(List<List<String>> setup, List<String> env, List<String> argv, Suite.RunOptions options,
                    Duration deadline) {
        commands.add(argv);
        envs.addAll(env);
        deadlines.add(deadline);
        return exec.apply(argv);
    }

    @Override
    public Optional<FileEntry> stat(String path) {
        return Optional.ofNullable(files.get(path));
    }

    @Override
    public Optional<byte[]> read(String path) {
        return Optional.ofNullable(contents.get(path)).map(s -> s.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public List<FileEntry> walk() {
        return List.copyOf(files.values());
    }

    @Override
    public Service start(List<String> env, List<String> cmd, Suite.RunOptions options) {
        servicesStarted++;
        return new Service() {
            @Override
            public boolean awaitPort(int port, Duration deadline) {
                deadlines.add(deadline);
                return listening;
            }

            @Override
            public HttpAnswer http(int port, String method, String path, Map<String, String> headers, Duration deadline) {
                return answers.getOrDefault(method + " " + path, new HttpAnswer(-1, "connection refused"));
            }

            @Override
            public Exec exec(List<String> argv, Duration deadline) {
                deadlines.add(deadline);
                return FakeImage.this.exec.apply(argv);
            }

            @Override
            public String logs() {
                return "starting…";
            }

            @Override
            public void close() {
                servicesStarted--;
            }
        };
    }

    @Override
    public void abort() {
        aborted = true;
    }

    @Override
    public void close() {
        closed = true;
    }
}
