package io.slipway.builder.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PipelineFileParserTest {

    private static PipelineFile parse(String yaml) {
        return PipelineFileParser.parse(yaml, "octo-org/hello");
    }

    @Test
    void readsEveryKey() {
        PipelineFile file = parse("""
                image: team/app
                context: service
                dockerfile: docker/Dockerfile.prod
                target: runtime
                buildArgs:
                  VERSION: 1.2
                  DEBUG: false
                  NAME: "x y"
                tests:
                  - tests/structure.yaml
                  - ./tests/http.yaml
                timeout: 15m
                """);

        assertThat(file.image()).isEqualTo("team/app");
        assertThat(file.context()).isEqualTo("service");
        assertThat(file.dockerfile()).isEqualTo("service/docker/Dockerfile.prod");
        assertThat(file.target()).isEqualTo("runtime");
        assertThat(file.buildArgs()).containsExactly(Map.entry("VERSION", "1.2"), Map.entry("DEBUG", "false"),
                Map.entry("NAME", "x y"));
        assertThat(file.tests()).containsExactly("tests/structure.yaml", "tests/http.yaml");
        assertThat(file.timeout()).isEqualTo(Duration.ofMinutes(15));
        assertThat(file.line("tests")).isEqualTo(9);
    }

    @Test
    void anEmptyFileMeansAllDefaults() {
        PipelineFile file = parse("# nothing to configure\n");

        assertThat(file.image()).isEqualTo("octo-org/hello");
        assertThat(file.context()).isEmpty();
        assertThat(file.dockerfile()).isEqualTo("Dockerfile");
        assertThat(file.target()).isNull();
        assertThat(file.tests()).isEmpty();
        assertThat(file.timeout()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown key                | image: a\\nimgae: b                     | line 2: unknown key 'imgae'
            tests not a list           | image: a\\ntests: tests/a.yaml          | line 2: 'tests' must be a list of suite file paths
            list item not text         | tests:\\n  - 3                         | line 2: 'tests' must be text, not a number
            image not text             | image: [a, b]                          | line 1: 'image' must be text, not a list
            image with a tag           | image: app:1.0                         | line 1: 'image' is a repository name without registry or tag
            image upper case           | \\n\\nimage: My_App                    | line 3: 'image' must be a lower-case repository name
            duplicate key              | image: a\\nimage: b                     | line 2: key 'image' is given twice
            not YAML                   | image: [a\\ntests: b                    | line 2: not valid YAML
            not a mapping              | - image                                | line 1: .slipway.yml must be a mapping
            path leaves the repository | dockerfile: ../../etc/passwd           | line 1: 'dockerfile' must be a relative path inside the repository
            absolute path              | context: /etc                          | line 1: 'context' must be a relative path
            build args not a mapping   | buildArgs: [A]                         | line 1: 'buildArgs' must be a mapping
            build arg without value    | buildArgs:\\n  A:                      | line 2: build arg 'A' must have a text, number or boolean value
            build arg bad name         | buildArgs:\\n  'A-B': x                | line 2: build arg name 'A-B' is not a valid name
            bad timeout                | timeout: soon                          | line 1: 'timeout' must be a duration
            """)
    void refusesWhatItDoesNotUnderstandNamingTheLine(String name, String yaml, String expected) {
        assertThatThrownBy(() -> parse(yaml.replace("\\n", "\n")))
                .isInstanceOfSatisfying(StageFailure.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.CONFIG_INVALID);
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).startsWith(".slipway.yml ").contains(expected);
                });
    }

    @Test
    void derivesTheDefaultImageFromTheRepositoryName() {
        assertThat(PipelineFileParser.defaultImage("Octocoders/Hello_World")).isEqualTo("octocoders/hello_world");
        assertThat(PipelineFileParser.defaultImage("team/App Name!")).isEqualTo("team/app-name");
        assertThat(List.of(PipelineFileParser.defaultImage("a/b"))).containsExactly("a/b");
    }
}
