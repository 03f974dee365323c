package io.slipway.common.management;

import io.slipway.common.management.ManagementToken.Access;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The management token grants access only when sent as the configured bearer token. */
class ManagementTokenTest {

    private final ManagementToken token = new ManagementToken("s3cret-token");

    @Test
    void theConfiguredBearerTokenIsGranted() {
        assertThat(token.check("Bearer s3cret-token")).isEqualTo(Access.GRANTED);
        assertThat(token.check("bearer  s3cret-token ")).isEqualTo(Access.GRANTED);
    }

    @Test
    void noHeaderIsAnonymous() {
        assertThat(token.check(null)).isEqualTo(Access.ANONYMOUS);
        assertThat(token.check(" ")).isEqualTo(Access.ANONYMOUS);
    }

    @Test
    void anythingElseIsRefused() {
        assertThat(token.check("Bearer s3cret-token-and-more")).isEqualTo(Access.REFUSED);
        assertThat(token.check("Bearer s3cret")).isEqualTo(Access.REFUSED);
        assertThat(token.check("Bearer ")).isEqualTo(Access.REFUSED);
        assertThat(token.check("Basic czNjcmV0LXRva2Vu")).isEqualTo(Access.REFUSED);
        assertThat(token.check("s3cret-token")).isEqualTo(Access.REFUSED);
    }

    @Test
    void withoutAConfiguredTokenNobodyIsGranted() {
        ManagementToken unset = new ManagementToken(" ");

        assertThat(unset.configured()).isFalse();
        assertThat(unset.check(null)).isEqualTo(Access.NOT_CONFIGURED);
        assertThat(unset.check("Bearer ")).isEqualTo(Access.NOT_CONFIGURED);
        assertThat(unset.check("Bearer anything")).isEqualTo(Access.NOT_CONFIGURED);
    }
}
