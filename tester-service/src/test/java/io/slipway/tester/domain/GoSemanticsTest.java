package io.slipway.tester.domain;

import io.slipway.tester.domain.GoSemantics.FileType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Suites keep Go's meaning: regexp.MatchString, os.Expand and FileMode.String, where Java would differ. */
class GoSemanticsTest {

    @Test
    void regexesMatchAnywhereInTheText() {
        assertThat(GoSemantics.matches("Usage", "apt-get 2.4\nUsage: apt-get [options]\n")).isTrue();
        assertThat(GoSemantics.matches("^Usage", "apt-get 2.4\nUsage:")).isFalse();
        assertThat(GoSemantics.matches("(?m)^Usage", "apt-get 2.4\nUsage:")).isTrue();
    }

    @Test
    void dollarIsTheEndOfTheTextNotTheEndOfALine() {
        // java.util.regex.Pattern would find "^Linux$" in "Linux\n": its $ also matches before a final newline.
        assertThat(java.util.regex.Pattern.compile("^Linux$").matcher("Linux\n").find()).isTrue();
        assertThat(GoSemantics.matches("^Linux$", "Linux\n")).isFalse();
        assertThat(GoSemantics.matches("^Linux\\n$", "Linux\n")).isTrue();
        assertThat(GoSemantics.matches("Linux\n", "Linux\n")).isTrue();
    }

    @Test
    void dotDoesNotMatchNewlinesAndClassesAreAscii() {
        assertThat(GoSemantics.matches("a.b", "a\nb")).isFalse();
        assertThat(GoSemantics.matches("(?s)a.b", "a\nb")).isTrue();
        assertThat(GoSemantics.matches("^\\d+$", "٣")).isFalse();
    }

    @Test
    void refusesWhatRe2DoesNotHave() {
        assertThatThrownBy(() -> GoSemantics.compile("(?=x)")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid RE2 regex '(?=x)'");
        assertThatThrownBy(() -> GoSemantics.compile("(a)\\1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void expandsLikeOsExpand() {
        Map<String, String> env = Map.of("PATH", "/bin", "HOME", "/root", "1", "one");

        assertThat(GoSemantics.expand("echo $PATH", env::get)).isEqualTo("echo /bin");
        assertThat(GoSemantics.expand("${HOME}/x:$HOME", env::get)).isEqualTo("/root/x:/root");
        assertThat(GoSemantics.expand("$UNSET-$1-${1}", env::get)).isEqualTo("-one-one");
        assertThat(GoSemantics.expand("cost $5 and $$", env::get)).isEqualTo("cost  and ");
        assertThat(GoSemantics.expand("bad ${} and ${open", env::get)).isEqualTo("bad  and open");
        assertThat(GoSemantics.expand("end $", env::get)).isEqualTo("end $");
        assertThat(GoSemantics.expand("a $. b", env::get)).isEqualTo("a $. b");
        assertThat(GoSemantics.expand("no dollars", env::get)).isEqualTo("no dollars");
    }

    @Test
    void formatsModesLikeGoFileMode() {
        assertThat(GoSemantics.modeString(FileType.DIRECTORY, 0755)).isEqualTo("drwxr-xr-x");
        assertThat(GoSemantics.modeString(FileType.FILE, 0644)).isEqualTo("-rw-r--r--");
        assertThat(GoSemantics.modeString(FileType.SYMLINK, 0777)).isEqualTo("Lrwxrwxrwx");
        assertThat(GoSemantics.modeString(FileType.FILE, 04755)).isEqualTo("urwxr-xr-x");
        assertThat(GoSemantics.modeString(FileType.FILE, 02755)).isEqualTo("grwxr-xr-x");
        assertThat(GoSemantics.modeString(FileType.DIRECTORY, 01777)).isEqualTo("dtrwxrwxrwx");
        assertThat(GoSemantics.modeString(FileType.CHAR_DEVICE, 0666)).isEqualTo("Dcrw-rw-rw-");
        assertThat(GoSemantics.modeString(FileType.FIFO, 0600)).isEqualTo("prw-------");
    }
}
