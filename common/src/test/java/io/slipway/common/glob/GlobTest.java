package io.slipway.common.glob;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class GlobTest {

    @ParameterizedTest(name = "{0} ~ {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            octo-org/*          | octo-org/app            | true
            octo-org/*          | octo-org/a/b            | false
            octo-org/*          | octo-org/               | false
            octo-org/*          | octo-org/.github        | true
            **                  | a/b/c                   | true
            **                  | main                    | true
            release/**          | release/1.2/hotfix      | true
            release/**          | release                 | false
            wip/**              | wip/x                   | true
            v?.*                | v1.0                    | true
            v?.*                | v/.0                    | false
            v*                  | v1.2.3                  | true
            main                | main                    | true
            main                | Main                    | false
            main                | main2                   | false
            main                | ''                      | false
            octo-org/payments-* | octo-org/payments-api   | true
            {main,develop}      | develop                 | true
            {main,develop}      | feature                 | false
            release/{1.*,2.*}   | release/2.0             | true
            v{1,}               | v                       | true
            [a-c]*              | beta                    | true
            [a-c]*              | delta                   | false
            [!a-c]*             | delta                   | true
            [!a-c]*             | beta                    | false
            *\\*                | a*                      | true
            *\\*                | ab                      | false
            """)
    void matchesTheWholeNameWithSegmentsInMind(String glob, String name, boolean matches) {
        assertThat(Glob.of(glob).matches(name)).isEqualTo(matches);
    }

    @ParameterizedTest(name = "{0} ~ {1}")
    @CsvSource(delimiter = '|', textBlock = """
            a.b         | aXb
            a+          | aa
            (a|b)       | a
            x$          | x
            ^x          | x
            a\\E.*      | aE-anything
            \\Q*\\E     | anything
            [a-c]*      | /x
            ?           | /
            """)
    void regexMetacharactersInAGlobAreLiterals(String glob, String name) {
        assertThat(Glob.of(glob).matches(name)).isFalse();
    }

    @Test
    void regexMetacharactersMatchThemselves() {
        assertThat(Glob.of("a.b+(c|d)$^").matches("a.b+(c|d)$^")).isTrue();
        assertThat(Glob.of("team/{app,lib}[0-9]").matches("team/lib7")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "octo-org/../evil", "octo-org/./app", "octo-org//app", "/octo-org/app",
            "octo-org/app/", "..", "octo-org/app\nevil/x", "octo-org/\u0000"})
    void noGlobMatchesANameThatIsNotOne(String name) {
        assertThat(Glob.of("**").matches(name)).isFalse();
        assertThat(Glob.of("octo-org/*").matches(name)).isFalse();
        assertThat(Glob.of("octo-org/**").matches(name)).isFalse();
        assertThat(Glob.of("*").matches(null)).isFalse();
    }

    @Test
    void starsNeverCrossASegmentButDoubleStarsDo() {
        assertThat(Glob.of("octo-org/*").matches("octo-org/../evil")).isFalse();
        assertThat(Glob.of("octo-org/*/app").matches("octo-org/team/app")).isTrue();
        assertThat(Glob.of("octo-org/**/app").matches("octo-org/a/b/app")).isTrue();
        assertThat(Glob.of("**/app").matches("app")).isFalse();
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            '   '         | a glob must not be empty
            {a,{b,c}}     | '{' groups cannot be nested
            {a,b          | '{' is not closed by '}'
            [a-c          | '[' is not closed by ']'
            [z-a]         | the range 'z-a' is backwards
            [a/b]         | a [class] cannot contain '/'
            [+-0]         | a [class] cannot contain '/'
            abc\\         | '\\' at the end escapes nothing
            """)
    void refusesWhatIsNotAGlob(String glob, String message) {
        assertThatThrownBy(() -> Glob.of(glob)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void refusesNullAndVeryLongPatterns() {
        assertThatThrownBy(() -> Glob.of(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Glob.of("a".repeat(Glob.MAX_LENGTH + 1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most " + Glob.MAX_LENGTH);
        assertThat(Glob.of("a".repeat(Glob.MAX_LENGTH)).matches("a".repeat(Glob.MAX_LENGTH))).isTrue();
    }

    @Test
    void matchesInLinearTimeWhatBacktrackingRegexesCannot() {
        Glob stars = Glob.of("*a".repeat(100) + "b");
        String name = "a".repeat(10_000);

        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThat(stars.matches(name)).isFalse());
    }

    @Test
    void ignoresSurroundingBlanksAndCompilesEachPatternOnce() {
        assertThat(Glob.of(" octo-org/* ")).isSameAs(Glob.of("octo-org/*")).hasToString("octo-org/*");
        assertThat(Glob.of("main")).isEqualTo(Glob.of("main")).isNotEqualTo(Glob.of("develop"));
    }

    @Test
    void anyMatchesWhenOneGlobDoes() {
        List<Glob> globs = List.of(Glob.of("main"), Glob.of("release/**"));

        assertThat(Glob.any(globs, "release/1/x")).isTrue();
        assertThat(Glob.any(globs, "feature/x")).isFalse();
        assertThat(Glob.any(List.of(), "main")).isFalse();
    }
}
