package io.slipway.common.yaml;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StrictYamlTest {

    private static YamlNode read(String yaml) {
        return StrictYaml.read("app.yml", yaml).orElseThrow();
    }

    private static void assertRefused(Runnable read, String message) {
        assertThatThrownBy(read::run).isInstanceOf(InvalidYaml.class).hasMessage(message);
    }

    @Test
    void givesTypedValuesWithTheirPathsAndLines() {
        YamlMap top = read("""
                name: app
                port: 8080
                enabled: yes
                wait: 1m30s
                tests:
                  - a.yaml
                  - {path: b.yaml}
                """).map(List.of("name", "port", "enabled", "wait", "tests"));

        assertThat(top.required("name").text()).isEqualTo("app");
        assertThat(top.required("port").integer()).isEqualTo(8080);
        assertThat(top.required("port").scalar()).isEqualTo("8080");
        assertThat(top.required("enabled").bool()).isTrue();
        assertThat(top.required("wait").duration()).isEqualTo(Duration.ofSeconds(90));
        List<YamlNode> tests = top.required("tests").list();
        assertThat(tests).extracting(YamlNode::path).containsExactly("tests[0]", "tests[1]");
        assertThat(tests.get(1).map(List.of("path")).required("path").line()).isEqualTo(7);
        assertThat(top.keyLines()).containsExactly(Map.entry("name", 1), Map.entry("port", 2),
                Map.entry("enabled", 3), Map.entry("wait", 4), Map.entry("tests", 5));
        assertThat(top.keys()).containsExactly("name", "port", "enabled", "wait", "tests");
    }

    @Test
    void anEmptyKeyCountsAsNotGivenButIsStillWritten() {
        YamlMap top = read("a:\nb: ~\n").map();

        assertThat(top.has("a")).isTrue();
        assertThat(top.get("a")).hasValueSatisfying(v -> assertThat(v.isNull()).isTrue());
        assertThat(top.optional("a")).isEmpty();
        assertThat(top.optional("c")).isEmpty();
        assertThat(StrictYaml.read("app.yml", "# only a comment\n")).isEmpty();
    }

    @Test
    void namesTheLineAndKeyOfAnUnknownKey() {
        assertRefused(() -> read("name: a\nnmae: b\n").map(List.of("name", "port")),
                "app.yml line 2: key 'nmae' is unknown (known keys: name, port)");
        assertRefused(() -> read("outer:\n  - x: 1\n    y: 2\n").map(List.of("outer")).required("outer").list().get(0)
                        .map(List.of("x"), key -> key.equals("y") ? "a legacy key; remove it" : null),
                "app.yml line 3: key 'outer[0].y' is unknown (a legacy key; remove it)");
    }

    @Test
    void namesTheLineAndKeyOfAMissingKey() {
        YamlMap inner = read("outer:\n  a: 1\n").map().required("outer").map();

        assertRefused(() -> inner.required("b"), "app.yml line 2: key 'outer.b' is required");
        assertRefused(() -> read("outer:\n  b:\n").map().required("outer").map().required("b"),
                "app.yml line 2: key 'outer.b' is required");
    }

    @Test
    void namesTheLineOfAKeyGivenTwice() {
        assertRefused(() -> read("a: 1\nb: 2\na: 3\n").map(), "app.yml line 3: key 'a' is given twice");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            text, not a list        | v: [a]        | text     | app.yml line 1: key 'v' must be text, not a list
            text, not a number      | v: 3          | text     | app.yml line 1: key 'v' must be text, not a number
            text, not a boolean     | v: no         | text     | app.yml line 1: key 'v' must be text, not a boolean
            text, not a date        | v: 2024-01-31 | text     | app.yml line 1: key 'v' must be text, not a date
            text, not empty         | v:            | text     | app.yml line 1: key 'v' must be text, not empty
            list, not text          | v: a.yaml     | list     | app.yml line 1: key 'v' must be a list, not 'a.yaml'
            mapping, not a list     | v: [a]        | map      | app.yml line 1: key 'v' must be a mapping, not a list
            single value, not map   | v: {a: 1}     | scalar   | app.yml line 1: key 'v' must be a single value, not a mapping
            integer                 | v: one        | integer  | app.yml line 1: key 'v' must be an integer, not 'one'
            integer overflow        | v: 99999999999 | integer | app.yml line 1: key 'v' must be an integer, not '99999999999'
            boolean                 | v: maybe      | bool     | app.yml line 1: key 'v' must be true or false, not 'maybe'
            duration                | v: soon       | duration | app.yml line 1: key 'v' must be a duration like 90s, 20m, 1h30m or 500ms, not 'soon'
            """)
    void namesTheLineAndKeyOfAWrongType(String name, String yaml, String accessor, String message) {
        YamlNode v = read(yaml.replace("\\n", "\n")).map().get("v").orElseThrow();
        Runnable access = switch (accessor) {
            case "text" -> v::text;
            case "list" -> v::list;
            case "map" -> v::map;
            case "scalar" -> v::scalar;
            case "integer" -> v::integer;
            case "bool" -> v::bool;
            default -> v::duration;
        };
        assertRefused(access, message);
    }

    @Test
    void namesTheKeyOfAListItemAndTheDocumentItself() {
        assertRefused(() -> read("tests:\n  - a\n  - [b]\n").map().required("tests").list().get(1).text(),
                "app.yml line 3: key 'tests[1]' must be text, not a list");
        assertRefused(() -> read("- a\n").map(), "app.yml line 1: the file must be a mapping, not a list");
        assertRefused(() -> read("[a]: 1\n").map(), "app.yml line 1: keys must be plain names, not a list");
    }

    @Test
    void callersRefuseValuesInTheSameForm() {
        YamlNode backend = read("\nbackend: vmware\n").map().required("backend");

        assertThat(backend.invalid("must be container or openstack").getMessage())
                .isEqualTo("app.yml line 2: key 'backend' must be container or openstack");
        assertThat(backend.error("no such backend").getMessage()).isEqualTo("app.yml line 2: no such backend");
        assertThat(InvalidYaml.at("app.yml", 0, "too large").getMessage()).isEqualTo("app.yml: too large");
    }

    @Test
    void quotesHostileValuesShortAndWithoutControlCharacters() {
        String message = assertThrows(() -> read("v: \"ab\\nforged line" + "x".repeat(500) + "\"\n").map().required("v")
                .list());

        assertThat(message).hasSizeLessThan(150).doesNotContain("\n").contains("'ab?forged line").contains("…");
    }

    @Test
    void namesTheLineOfASyntaxError() {
        assertThatThrownBy(() -> StrictYaml.read("app.yml", "a: [1\nb: 2\n")).isInstanceOf(InvalidYaml.class)
                .hasMessageStartingWith("app.yml line 2: not valid YAML: ");
        assertThatThrownBy(() -> StrictYaml.read("app.yml", "a: 1\n---\nb: 2\n")).isInstanceOf(InvalidYaml.class)
                .hasMessageStartingWith("app.yml line 2: not valid YAML: but found another document");
    }

    @Test
    void refusesAnAliasBombInsteadOfExpandingIt() {
        StringBuilder lol = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char c = 'b'; c <= 'i'; c++) {
            String previous = "*" + (char) (c - 1);
            lol.append(c).append(": &").append(c).append(" [").append(String.join(",", java.util.Collections.nCopies(9, previous)))
                    .append("]\n");
        }

        assertThatThrownBy(() -> StrictYaml.read("app.yml", lol.toString())).isInstanceOf(InvalidYaml.class)
                .hasMessageStartingWith("app.yml: refused: ").hasMessageContaining("aliases");
    }

    @Test
    void countsWhatFewAliasesRepeatAgainstTheNodeLimit() {
        String big = "a: &a [" + "1,".repeat(2_600) + "1]\nb: [" + String.join(",", java.util.Collections.nCopies(19, "*a"))
                + "]\n";

        assertThat(big.length()).isLessThan(10_000);
        assertRefused(() -> StrictYaml.read("app.yml", big), "app.yml: refused: more than " + StrictYaml.MAX_NODES
                + " keys, values and list items (counting what aliases repeat)");
    }

    @Test
    void refusesAnAliasThatContainsItself() {
        assertThatThrownBy(() -> StrictYaml.read("app.yml", "a: &a [*a]\n")).isInstanceOf(InvalidYaml.class)
                .hasMessage("app.yml line 1: refused: nested deeper than 32 levels (an alias that contains itself?)");
    }

    @Test
    void refusesAnOversizedDocumentBeforeParsingIt() {
        String huge = "a: \"" + "x".repeat(StrictYaml.MAX_CHARACTERS) + "\"\n";

        assertRefused(() -> StrictYaml.read("app.yml", huge),
                "app.yml: the file is larger than " + StrictYaml.MAX_CHARACTERS + " characters");
    }

    @Test
    void refusesDeepNesting() {
        String deep = "a: " + "[".repeat(100) + "]".repeat(100) + "\n";
        String justDeepEnough = "a: " + "[".repeat(20) + "]".repeat(20) + "\n";

        assertThatThrownBy(() -> StrictYaml.read("app.yml", deep)).isInstanceOf(InvalidYaml.class)
                .hasMessageStartingWith("app.yml: refused: Nesting Depth exceeded");
        assertThat(StrictYaml.read("app.yml", justDeepEnough)).isPresent();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            90s      | PT1M30S
            20m      | PT20M
            1h       | PT1H
            500ms    | PT0.5S
            1h30m    | PT1H30M
            2m500ms  | PT2M0.5S
            ' 30s '  | PT30S
            """)
    void readsGoStyleDurations(String text, String iso) {
        assertThat(DurationSyntax.parse(text)).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            bare number   | 30                      | key 'v' must be a duration like 90s, 20m, 1h30m or 500ms, not '30' (a number needs a unit, e.g. 30s)
            negative      | -5s                     | key 'v' must be a duration like 90s, 20m, 1h30m or 500ms, not '-5s'
            fraction      | 1.5h                    | key 'v' must be a duration like 90s, 20m, 1h30m or 500ms, not '1.5h'
            zero          | 0s                      | key 'v' must be a duration like 90s, 20m, 1h30m or 500ms, not '0s' (it must be more than zero)
            overflow      | 2562048h                | key 'v' must be a duration like 90s, 20m, 1h30m or 500ms, not '2562048h' (at most 2562047h)
            huge number   | 99999999999999999999s   | key 'v' must be a duration like 90s, 20m, 1h30m or 500ms, not '99999999999999999999s' (at most 2562047h)
            sum overflows | 2562047h2562047h        | key 'v' must be a duration like 90s, 20m, 1h30m or 500ms, not '2562047h2562047h' (at most 2562047h)
            unknown unit  | 3d                      | key 'v' must be a duration like 90s, 20m, 1h30m or 500ms, not '3d'
            unit only     | s                       | key 'v' must be a duration like 90s, 20m, 1h30m or 500ms, not 's'
            """)
    void refusesAnythingElseAsADuration(String name, String text, String message) {
        assertRefused(() -> read("v: " + text + "\n").map().required("v").duration(), "app.yml line 1: " + message);
    }

    private static String assertThrows(Runnable read) {
        try {
            read.run();
        } catch (InvalidYaml e) {
            return e.getMessage();
        }
        throw new AssertionError("expected InvalidYaml");
    }
}
