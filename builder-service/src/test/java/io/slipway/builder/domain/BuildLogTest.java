package io.slipway.builder.domain;

import io.slipway.common.text.SecretMask;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class BuildLogTest {

    private final List<String> sink = new ArrayList<>();

    @Test
    void masksSecretsBeforeAnythingSeesThemEvenWhenTheyArriveInPieces() {
        BuildLog log = new BuildLog(new SecretMask(Set.of("hunter2-password", "Y2k6aHVudGVy", "abc")), 4096, sink::add);

        log.append("Step 1/2 : RUN echo hunter2-");
        log.append("password and Y2k6aHVudGVy\nabc stays\n");

        assertThat(sink).containsExactly("Step 1/2 : RUN echo **** and ****", "abc stays");
        assertThat(log.excerpt(8192)).doesNotContain("hunter2").contains("****");
    }

    @Test
    void stripsTerminalEscapesSoColouredOrSplitSecretsAreMaskedToo() {
        BuildLog log = new BuildLog(new SecretMask(Set.of("hunter2-password")), 4096, sink::add);

        log.append("\u001b[31mERROR\u001b[0m echo hunter2-\u001b[0mpassword\r\n");
        log.append("\u001b]0;title\u0007aGVsbG8gaHVudGVyMi1wYXNzd29yZA==\n");

        assertThat(sink).containsExactly("ERROR echo ****", "aGVsbG8g****");
        assertThat(log.excerpt(8192)).doesNotContain("\u001b").doesNotContain("hunter2");
    }

    @Test
    void theExcerptIsTheLastLinesWithinTheLimit() {
        BuildLog log = new BuildLog(new SecretMask(List.of()), 64 * 1024, line -> { });
        for (int i = 0; i < 2000; i++) {
            log.line("line " + i + " " + "x".repeat(40));
        }

        String excerpt = log.excerpt(8 * 1024);

        assertThat(excerpt.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(8 * 1024);
        assertThat(excerpt).endsWith("line 1999 " + "x".repeat(40)).doesNotContain("line 1000 ");
        assertThat(excerpt.lines().findFirst().orElseThrow()).startsWith("line ");
    }

    @Test
    void cutsOverlongLinesAndKeepsAPartialLastLine() {
        BuildLog log = new BuildLog(new SecretMask(List.of()), 64 * 1024, sink::add);

        log.append("y".repeat(10_000) + "\n");
        log.append("no newline yet");

        assertThat(sink.get(0)).endsWith("[line truncated]").hasSizeLessThan(BuildLog.MAX_LINE_BYTES);
        assertThat(log.excerpt(8192)).endsWith("no newline yet");
    }

    @Test
    void noLogNoExcerpt() {
        assertThat(new BuildLog(new SecretMask(List.of()), 1024, sink::add).excerpt(8192)).isNull();
    }
}
