package io.slipway.notifier.domain;

import io.slipway.common.text.SecretMask;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LogExcerptTest {

    @Test
    void masksCredentialsOfWellKnownShapesAndTheServicesOwnSecrets() {
        String log = String.join("\n",
                "git clone https://deploy:s3cr3t-pass@git.example.com/org/app.git",
                "export GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789",
                "curl -H 'Authorization: Bearer abc.def.ghi' https://api.example.com",
                "DB_PASSWORD: \"hunter22\"",
                "using glpat-ABCDEFGHIJKLMNOPQRSTU and xoxb-1234567890-abcdef and AKIAABCDEFGHIJKLMNOP",
                "posting to https://hooks.slack.com/services/T000/B000/XXXXXXXX",
                "-----BEGIN RSA PRIVATE KEY-----", "MIIEpAIBAAKCAQEA", "-----END RSA PRIVATE KEY-----",
                "configured secret: my-own-webhook-secret",
                "make: *** [Makefile:12: all] Error 2");

        String masked = LogExcerpt.mask(log, new SecretMask(List.of("my-own-webhook-secret")));

        assertThat(masked).doesNotContain("s3cr3t-pass", "ghp_abcdef", "abc.def.ghi", "hunter22", "glpat-ABC",
                "xoxb-1234", "AKIAABCD", "T000/B000", "MIIEpAIBAAKCAQEA", "my-own-webhook-secret");
        assertThat(masked).contains("https://****@git.example.com/org/app.git", "GITHUB_TOKEN=****",
                "Authorization: Bearer ****", "make: *** [Makefile:12: all] Error 2");
    }

    @Test
    void keepsTheLastWholeLinesWithinTheBound() {
        StringBuilder log = new StringBuilder();
        for (int i = 1; i <= 200; i++) {
            log.append("line ").append(i).append('\n');
        }

        String tail = LogExcerpt.tail(log.toString(), 100);

        assertThat(tail).hasSizeLessThanOrEqualTo(100).startsWith("… (earlier lines cut)\n").endsWith("line 200");
        assertThat(tail.lines().skip(1)).allMatch(l -> l.matches("line \\d+"));
        assertThat(LogExcerpt.tail("short log\n", 100)).isEqualTo("short log");
    }

    @Test
    void cannotCloseTheCodeBlockItIsShownIn() {
        assertThat(LogExcerpt.safe("```\n@channel <!here>", 100, SecretMask.none())).doesNotContain("```");
    }

    @Test
    void stripsTerminalEscapesAndMasksEncodedFormsOfTheServicesSecrets() {
        String secret = "my-own-webhook-secret";
        String log = "\u001b[31mERROR\u001b[0m \u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007\n"
                + "base64: " + java.util.Base64.getEncoder().encodeToString(("x:" + secret).getBytes()) + "\n"
                + "split: my-own-\u001b[0mwebhook-secret";

        String shown = LogExcerpt.safe(log, 1000, new SecretMask(List.of(secret)));

        assertThat(shown).doesNotContain("\u001b", "evil.example", secret, "webhook")
                .contains("ERROR click", "split: ****");
    }
}
