package io.slipway.common.text;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Terminal escapes and invisible characters, including those used to split or hide a secret, are removed. */
class TerminalTextTest {

    @Test
    void removesColoursAndCursorMovesKeepingTheText() {
        assertThat(TerminalText.strip("\u001b[1;31mERROR\u001b[0m: build failed\u001b[K\u001b[2A"))
                .isEqualTo("ERROR: build failed");
        assertThat(TerminalText.strip("\u009b31mred\u009b0m")).isEqualTo("red");
    }

    @Test
    void removesOscTitlesAndHyperlinksWhateverEndsThem() {
        assertThat(TerminalText.strip("\u001b]0;pwned title\u0007ok")).isEqualTo("ok");
        assertThat(TerminalText.strip("\u001b]8;;https://evil.example/\u001b\\click\u001b]8;;\u001b\\"))
                .isEqualTo("click");
        assertThat(TerminalText.strip("\u009d8;;x\u009cy")).isEqualTo("y");
        assertThat(TerminalText.strip("a\u001b]0;unterminated\nnext line")).isEqualTo("a\nnext line");
    }

    @Test
    void removesDcsStringsAndShortEscapes() {
        assertThat(TerminalText.strip("\u001bP1$r0m\u001b\\x\u001b(By\u001b7z\u001b=")).isEqualTo("xyz");
    }

    @Test
    void removesControlAndInvisibleFormattingCharactersButKeepsLinesAndTabs() {
        assertThat(TerminalText.strip("a\tb\r\nc\rd\u0000e\u0008f\u007fg\u200bh\u202ei\u2066j\u00adk\n"))
                .isEqualTo("a\tb\ncdefghijk\n");
    }

    @Test
    void aSecretSplitByEscapesIsWholeAgainAndThenMasked() {
        SecretMask mask = new SecretMask(List.of("hunter2-password"));
        for (String split : List.of("hunter2-\u001b[0mpassword", "hunter2-\u200bpassword", "hunter2-\rpassword",
                "hun\u001b]0;x\u0007ter2-password", "hunter2\u001b(B-password")) {
            assertThat(mask.apply(TerminalText.strip(split))).as(split).isEqualTo("****");
        }
    }

    @Test
    void leavesPlainTextAndUnicodeAlone() {
        String text = "Step 4/7 : RUN make — ünïcödé ✓ 😀 [ok] 100%";
        assertThat(TerminalText.strip(text)).isEqualTo(text);
        assertThat(TerminalText.strip(null)).isNull();
    }
}
