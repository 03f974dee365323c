package io.slipway.common.policy;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An origin is scheme, host and port; everything else about a URL does not change where a credential goes. */
class OriginTest {

    private final Origin git = Origin.parse("https://Git.Example.com");

    @Test
    void matchesTheSameSchemeHostAndPortWhateverThePathOrDefaultPort() {
        assertThat(git.matches(URI.create("https://git.example.com/org/app.git/info/refs?service=x"))).isTrue();
        assertThat(git.matches(URI.create("https://git.example.com:443/org/app.git"))).isTrue();
        assertThat(git.matches(URI.create("https://GIT.EXAMPLE.COM./org/app.git"))).isTrue();
        assertThat(git.matches(URI.create("https://user@git.example.com/org/app.git"))).isTrue();
    }

    @Test
    void doesNotMatchAnotherHostPortOrScheme() {
        assertThat(git.matches(URI.create("http://git.example.com/org/app.git"))).as("downgrade").isFalse();
        assertThat(git.matches(URI.create("https://git.example.com:8443/org/app.git"))).isFalse();
        assertThat(git.matches(URI.create("https://evil.example/org/app.git"))).isFalse();
        assertThat(git.matches(URI.create("https://git.example.com.evil.example/x"))).isFalse();
        assertThat(git.matches(URI.create("https://git.example.com@evil.example/x"))).isFalse();
        assertThat(git.matches(URI.create("/relative/path"))).isFalse();
    }

    @Test
    void aBareHostMeansHttpsAndPortsAndIpv6AreKept() {
        assertThat(Origin.parse("git.example.com")).isEqualTo(git);
        assertThat(Origin.parse("http://127.0.0.1:3000/")).isEqualTo(new Origin("http", "127.0.0.1", 3000));
        assertThat(Origin.parse("https://[::1]:8443").matches(URI.create("https://[::1]:8443/x"))).isTrue();
        assertThat(git).hasToString("https://git.example.com:443");
    }

    @Test
    void refusesWhatIsNoOrigin() {
        for (String text : new String[]{"", "https://", "https://git.example.com/org", "https://u:p@git.example.com",
                "ftp://git.example.com", "https://git.example.com?x=1"}) {
            assertThatThrownBy(() -> Origin.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("scheme://host");
        }
    }
}
