package io.slipway.common.text;

import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The forms a secret leaks in, each masked; the bypass forms a build script would try. */
class SecretMaskTest {

    private static final String SECRET = "s3cr3t/p@ss+word ünï";
    private final SecretMask mask = new SecretMask(List.of(SECRET));

    @Test
    void masksTheSecretAsWritten() {
        assertThat(mask.apply("token is " + SECRET + ".")).isEqualTo("token is ****.");
    }

    @Test
    void masksEveryBase64AlphabetWithAndWithoutPadding() {
        byte[] bytes = SECRET.getBytes(StandardCharsets.UTF_8);
        for (String encoded : List.of(Base64.getEncoder().encodeToString(bytes),
                Base64.getEncoder().withoutPadding().encodeToString(bytes),
                Base64.getUrlEncoder().encodeToString(bytes),
                Base64.getUrlEncoder().withoutPadding().encodeToString(bytes))) {
            assertThat(mask.apply("x " + encoded + " y")).as(encoded).isEqualTo("x **** y");
        }
    }

    @Test
    void masksTheSecretInsideALongerBase64TextAtEveryByteOffset() {
        for (String prefix : List.of("", "u", "us", "user:", "ci-bot:", "a much longer prefix of some length:")) {
            for (String suffix : List.of("", "!", "\n", "-and-more")) {
                byte[] text = (prefix + SECRET + suffix).getBytes(StandardCharsets.UTF_8);
                String standard = Base64.getEncoder().encodeToString(text);
                String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(text);

                assertThat(mask.apply("Authorization: Basic " + standard)).as("%s|%s", prefix, suffix).contains("****");
                assertThat(decodesToTheSecret(mask.apply(standard), Base64.getDecoder())).isFalse();
                assertThat(decodesToTheSecret(mask.apply(urlSafe), Base64.getUrlDecoder())).isFalse();
            }
        }
    }

    @Test
    void masksHexInEitherCase() {
        String hex = HexFormat.of().formatHex(SECRET.getBytes(StandardCharsets.UTF_8));
        assertThat(mask.apply(hex)).isEqualTo("****");
        assertThat(mask.apply(hex.toUpperCase(Locale.ROOT))).isEqualTo("****");
    }

    @Test
    void masksUrlEncodingsWhateverTheEncoderChose() {
        String form = URLEncoder.encode(SECRET, StandardCharsets.UTF_8);
        assertThat(mask.apply("https://x/?p=" + form + "&q=1")).isEqualTo("https://x/?p=****&q=1");
        assertThat(mask.apply(form.replace("+", "%20"))).isEqualTo("****");
        String lowerHex = Pattern.compile("%[0-9A-F]{2}").matcher(form).replaceAll(m -> m.group().toLowerCase(Locale.ROOT));
        assertThat(mask.apply(lowerHex)).isEqualTo("****");
        assertThat(mask.apply("s3cr3t%2Fp%40ss+word%20%C3%BCn%c3%af")).as("partly encoded, mixed case").isEqualTo("****");
        assertThat(mask.apply("s3cr3t/p%40ss%2Bword ünï")).isEqualTo("****");
    }

    @Test
    void masksEachLineOfAMultiLineSecretAndTheWhole() {
        String key = "-----BEGIN KEY-----\nMIIEvQIBADANBg\n-----END KEY-----";
        SecretMask keys = new SecretMask(List.of(key));
        assertThat(keys.apply("line: MIIEvQIBADANBg")).isEqualTo("line: ****");
        String whole = Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8));
        assertThat(keys.apply(whole)).isEqualTo("****");
    }

    @Test
    void leavesShortValuesAndOrdinaryTextAlone() {
        SecretMask shortOnes = new SecretMask(java.util.Arrays.asList("abc", "", null));
        assertThat(shortOnes.apply("abc def")).isEqualTo("abc def");
        assertThat(mask.apply("Step 3/7 : RUN make")).isEqualTo("Step 3/7 : RUN make");
        assertThat(SecretMask.none().apply("anything")).isEqualTo("anything");
    }

    @Test
    void masksLongerSecretsFirst() {
        SecretMask both = new SecretMask(List.of("hunter2", "hunter2-and-more"));
        assertThat(both.apply("hunter2-and-more")).isEqualTo("****");
    }

    @Test
    void theCoreOfEachOffsetIsInsideAnyEncodingOfALongerText() {
        byte[] secret = "0123456789".getBytes(StandardCharsets.UTF_8);
        for (int offset = 0; offset < 3; offset++) {
            byte[] longer = new byte[offset + secret.length + 2];
            java.util.Arrays.fill(longer, (byte) 'z');
            System.arraycopy(secret, 0, longer, offset, secret.length);
            assertThat(Base64.getEncoder().encodeToString(longer)).contains(SecretMask.base64Core(secret, offset));
        }
    }

    private static boolean decodesToTheSecret(String text, Base64.Decoder decoder) {
        String decoded;
        try {
            decoded = new String(decoder.decode(text.replace("****", "")), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return decoded.contains(SECRET);
    }
}
