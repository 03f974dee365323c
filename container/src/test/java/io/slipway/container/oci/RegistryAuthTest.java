package io.slipway.container.oci;

import io.slipway.common.testing.TestClock;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The token cache stays small whatever number of repositories (scopes) a client serves. */
class RegistryAuthTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    private final TestClock clock = new TestClock(NOW);
    private final RegistryAuth auth = new RegistryAuth(new RegistryEndpoint("registry.example", false, null, null),
            HttpClient.newHttpClient(), Duration.ofSeconds(5), clock);

    private static String scope(int i) {
        return "repository:app-" + i + ":pull";
    }

    @Test
    void dropsExpiredTokensWhenItLearnsANewOne() {
        for (int i = 0; i < 100; i++) {
            auth.remember(scope(i), new RegistryAuth.Token("t-" + i, NOW.plusSeconds(60)));
        }
        clock.advance(Duration.ofSeconds(61));

        auth.remember(scope(100), new RegistryAuth.Token("t-100", clock.instant().plusSeconds(60)));

        assertThat(auth.tokenCount()).isEqualTo(1);
        assertThat(auth.header(scope(100))).contains("Bearer t-100");
    }

    @Test
    void holdsAtMostTheMaximumForgettingTheTokenThatExpiresFirst() {
        for (int i = 0; i < RegistryAuth.MAX_TOKENS + 10; i++) {
            auth.remember(scope(i), new RegistryAuth.Token("t-" + i, NOW.plusSeconds(3600 + i)));
        }

        assertThat(auth.tokenCount()).isEqualTo(RegistryAuth.MAX_TOKENS);
        assertThat(auth.header(scope(0))).isEmpty();
        assertThat(auth.header(scope(RegistryAuth.MAX_TOKENS + 9))).contains("Bearer t-" + (RegistryAuth.MAX_TOKENS + 9));
    }

    @Test
    void renewingATokenOfAKnownScopeEvictsNothing() {
        for (int i = 0; i < RegistryAuth.MAX_TOKENS; i++) {
            auth.remember(scope(i), new RegistryAuth.Token("t-" + i, NOW.plusSeconds(3600 + i)));
        }

        auth.remember(scope(5), new RegistryAuth.Token("renewed", NOW.plusSeconds(7200)));

        assertThat(auth.tokenCount()).isEqualTo(RegistryAuth.MAX_TOKENS);
        assertThat(auth.header(scope(0))).contains("Bearer t-0");
        assertThat(auth.header(scope(5))).contains("Bearer renewed");
    }
}
