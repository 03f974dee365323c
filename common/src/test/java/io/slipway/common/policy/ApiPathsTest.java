package io.slipway.common.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiPathsTest {

    @Test
    void encodesEachSegmentSoNoValueAddsOrClimbsSegments() {
        assertThat(ApiPaths.of("repos", "octo-org", "hello.service_1~", "statuses", "abc123"))
                .isEqualTo("/repos/octo-org/hello.service_1~/statuses/abc123");
        assertThat(ApiPaths.of("a/../b", "x?y#z", "100%", "caf\u00e9", "sp ace", "..."))
                .isEqualTo("/a%2F..%2Fb/x%3Fy%23z/100%25/caf%C3%A9/sp%20ace/...");
        assertThat(URI.create("https://api.example" + ApiPaths.of("repos", "a/../../b", "x")).normalize().getRawPath())
                .isEqualTo("/repos/a%2F..%2F..%2Fb/x");
    }

    @Test
    void encodesQueryValuesSoNoValueAddsAParameter() {
        assertThat(ApiPaths.query("state", "open", "labels", "slipway,ci failure&page=9", "milestone", null, "q", ""))
                .isEqualTo("?state=open&labels=slipway%2Cci%20failure%26page%3D9&q=");
        assertThat(ApiPaths.query()).isEmpty();
        assertThat(URI.create("https://api.example/x" + ApiPaths.query("labels", "a#b?c")).getRawQuery())
                .isEqualTo("labels=a%23b%3Fc");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", ".."})
    void refusesEmptyAndDotSegments(String segment) {
        assertThatThrownBy(() -> ApiPaths.of("repos", segment)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("may not be empty, '.' or '..'");
    }

    @Test
    void buildsGitHubRepositoryPathsAsTwoSegments() {
        assertThat(ApiPaths.githubRepository("octo-org/hello-service")).isEqualTo("/repos/octo-org/hello-service");
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo/x/../../victim/repo", "demo", "group/sub/project", "demo/..", "demo/x%2F..", "demo/x\n"})
    void refusesWhatIsNotAGitHubFullName(String name) {
        assertThatThrownBy(() -> ApiPaths.githubRepository(name)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a GitHub repository full name");
    }

    @Test
    void encodesAGitLabProjectPathAsOneSegment() {
        assertThat(ApiPaths.gitlabProject("group/sub/project")).isEqualTo("/projects/group%2Fsub%2Fproject");
        assertThat(ApiPaths.gitlabProject("group/sub/project") + ApiPaths.of("statuses", "abc"))
                .isEqualTo("/projects/group%2Fsub%2Fproject/statuses/abc");
    }

    @ParameterizedTest
    @ValueSource(strings = {"group/../victim", "group//project", "group/", "group/pro ject"})
    void refusesWhatIsNotAGitLabProjectPath(String path) {
        assertThatThrownBy(() -> ApiPaths.gitlabProject(path)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a GitLab project path");
    }
}
