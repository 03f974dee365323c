package io.slipway.common.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NamesTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "octo-org/hello-service",
            "demo/x",
            "shop",
            "octo-org/.github",
            "group/sub/sub2/project",
            "Some_User/repo.name",
            "a/b...c",
            "u/project.git"})
    void acceptsRepositoryFullNamesAndGitLabSubgroups(String name) {
        assertThat(Names.repository("repository", name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "demo/x/../../victim/repo",
            "demo/../victim",
            "demo/./x",
            "../demo/x",
            "demo/x/..",
            "demo/%2e%2e/victim",
            "demo/%2E%2E%2Fvictim",
            "demo/x%2F..%2F..%2Fvictim",
            "demo\\..\\victim",
            "demo/x\\y",
            "demo/\uFF0E\uFF0E/victim",
            "demo\uFF0Fvictim",
            "demo\u2215victim",
            "dem\u043E/x",
            "demo/x\u200B",
            "demo/x\n",
            "demo/x\r\nX-Injected: 1",
            "demo/x\u0000",
            "demo/x\u007f",
            "demo/ x",
            "demo//x",
            "/demo/x",
            "demo/x/",
            "demo/-x",
            "demo/x?y",
            "demo/x#y",
            "demo/x@y",
            "demo/x:y"})
    void refusesTraversalEncodedFormsLookAlikesControlsAndEmptySegments(String name) {
        assertThatThrownBy(() -> Names.repository("repository.full_name", name))
                .isInstanceOfSatisfying(Names.Invalid.class, e -> assertThat(e.field()).isEqualTo("repository.full_name"))
                .hasMessageStartingWith("field 'repository.full_name' is not a repository full name");
    }

    @Test
    void boundsTheLengthAndDepthOfRepositoryNames() {
        String longest = "o/" + "r".repeat(Names.MAX_REPOSITORY_LENGTH - 2);
        String deepest = "g/".repeat(Names.MAX_REPOSITORY_SEGMENTS - 1) + "p";

        assertThat(Names.repositoryProblem(longest)).isEmpty();
        assertThat(Names.repositoryProblem(longest + "r")).contains("longer than 255 characters");
        assertThat(Names.repositoryProblem(deepest)).isEmpty();
        assertThat(Names.repositoryProblem("g/" + deepest)).contains("more than 21 segments");
    }

    @Test
    void aMissingValueNamesTheField() {
        assertThatThrownBy(() -> Names.repository("repository", null)).hasMessage("field 'repository' is missing or empty");
        assertThatThrownBy(() -> Names.ref("ref", "")).hasMessage("field 'ref' is missing or empty");
        assertThatThrownBy(() -> Names.sha("sha", null)).hasMessage("field 'sha' is missing or empty");
    }

    @Test
    void echoesRefusedValuesEscapedAndBounded() {
        assertThatThrownBy(() -> Names.repository("repository", "demo/x\u0000\n" + "y".repeat(2000)))
                .hasMessageContaining("'demo/x\\u0000\\u000ay")
                .hasMessageEndingWith("'…")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").hasSizeLessThan(300));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "refs/heads/main",
            "refs/heads/feature/login-form",
            "refs/tags/v1.2.3",
            "refs/heads/release-2024.05",
            "refs/heads/fix_#12",
            "refs/heads/caf\u00e9",
            "refs/heads/\u6d4b\u8bd5",
            "refs/heads/a.b",
            "refs/heads/user@host",
            "refs/pull/12/head",
            "refs/x"})
    void acceptsRefsAsGitCheckRefFormatDoes(String ref) {
        assertThat(Names.ref("ref", ref)).isEqualTo(ref);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "main",
            "heads/main",
            "refs/",
            "refs/heads/",
            "refs/heads//main",
            "refs/heads/../../etc",
            "refs/heads/a..b",
            "refs/heads/.hidden",
            "refs/heads/a/.b",
            "refs/heads/main.lock",
            "refs/heads/a.lock/b",
            "refs/heads/main.",
            "refs/heads/main/",
            "refs/heads/a@{1}",
            "refs/heads/a b",
            "refs/heads/a~1",
            "refs/heads/a^",
            "refs/heads/a:b",
            "refs/heads/a?",
            "refs/heads/a*",
            "refs/heads/a[b",
            "refs/heads/a\\b",
            "refs/heads/a\u0000",
            "refs/heads/a\n",
            "refs/heads/a\t",
            "refs/heads/a\u007f",
            "refs/heads/a\u0085",
            "refs/heads/a\u00a0b",
            "refs/heads/a\u3000b",
            "refs/heads/a\u200bb",
            "refs/heads/a\u202eb",
            "refs/heads/a\ufeffb",
            "refs/heads/a\ue000",
            "refs/heads/\ud800",
            "refs/heads/a\uff0e\uff0eb",
            "refs/heads/x\uff0f..\uff0fy",
            "refs/heads/main\uff0elock",
            "refs/heads/a\u2024\u2024b",
            "refs/heads/a\ufe52"})
    void refusesWhatGitRefusesAndBypassForms(String ref) {
        assertThatThrownBy(() -> Names.ref("ref", ref))
                .isInstanceOfSatisfying(Names.Invalid.class, e -> assertThat(e.field()).isEqualTo("ref"))
                .hasMessageStartingWith("field 'ref' is not a valid ref");
    }

    @Test
    void refusesOverlongRefsAndSaysWhyAfterNormalisation() {
        String longest = "refs/heads/" + "a".repeat(Names.MAX_REF_LENGTH - "refs/heads/".length());

        assertThat(Names.refProblem(longest)).isEmpty();
        assertThat(Names.refProblem(longest + "a")).contains("longer than 255 characters");
        assertThat(Names.refProblem("refs/heads/a\uff0e\uff0eb")).contains("contains '..' once Unicode-normalised (NFKC)");
    }

    @Test
    void acceptsFortyAndSixtyFourHexShasInLowerCase() {
        assertThat(Names.sha("after", "0123456789ABCDEF0123456789abcdef01234567"))
                .isEqualTo("0123456789abcdef0123456789abcdef01234567");
        assertThat(Names.sha("sha", "a".repeat(64))).isEqualTo("a".repeat(64));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "0123456",
            "0123456789abcdef0123456789abcdef0123456",
            "0123456789abcdef0123456789abcdef012345678",
            "0123456789abcdef0123456789abcdef0123456g",
            "0123456789abcdef0123456789abcdef0123456\n",
            "0123456789abcdef0123456789abcdef0123456\u0000",
            "../../0123456789abcdef0123456789abcdef01",
            "\uff10123456789abcdef0123456789abcdef01234567",
            "\u0660123456789abcdef0123456789abcdef01234567",
            " 0123456789abcdef0123456789abcdef01234567"})
    void refusesAnythingElseAsASha(String sha) {
        assertThatThrownBy(() -> Names.sha("after", sha))
                .isInstanceOf(Names.Invalid.class).hasMessageStartingWith("field 'after' is not a commit sha");
    }

    @ParameterizedTest
    @ValueSource(strings = {"staging", "production", "eu-west-2", "a", "a234567890123456789012345678901"})
    void acceptsEnvironmentNames(String name) {
        assertThat(Names.environment("environment", name)).isEqualTo(name);
        assertThat(Names.environmentProblem(name)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Staging", "2nd", "-prod", "prod_1", "prod.eu", "a2345678901234567890123456789012", "st\u0430ging",
            "prod\n", " prod", "../prod"})
    void refusesOtherEnvironmentNames(String name) {
        assertThatThrownBy(() -> Names.environment("environment", name))
                .isInstanceOfSatisfying(Names.Invalid.class, e -> assertThat(e.field()).isEqualTo("environment"))
                .hasMessageStartingWith("field 'environment' is not an environment name");
        assertThat(Names.environmentProblem("")).contains("empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/health", "/api/v1/status?verbose=1", "/a%20b", "/caf\u00e9", "/x:y"})
    void acceptsAbsoluteSmokePaths(String path) {
        assertThat(Names.smokePathProblem(path)).isEmpty();
        assertThat(Names.smokePathProblem("/" + "a".repeat(Names.MAX_SMOKE_PATH_LENGTH - 1))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "health", "http://evil.example/", "//evil.example/x", "/x//y", "/@evil.example",
            "/x@y", "/\\evil.example", "/a b", "/a\tb", "/a\nHost: evil", "/a\u0000", "/a\u007f", "/a\u200Bb",
            "/a\u00a0b", "https:/x", "/a#b"})
    void refusesSmokePathsThatCouldLeaveTheDeployment(String path) {
        assertThat(Names.smokePathProblem(path)).isPresent();
        assertThat(Names.smokePathProblem("/" + "a".repeat(Names.MAX_SMOKE_PATH_LENGTH)))
                .contains("longer than 512 characters");
    }
}
