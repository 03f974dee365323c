package io.slipway.common.policy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class CloneUrlPolicyTest {

    private final CloneUrlPolicy defaults = new CloneUrlPolicy(CloneUrlPolicy.Settings.defaults());

    @ParameterizedTest
    @ValueSource(strings = {
            "https://github.com/octo-org/hello.git",
            "ssh://git@gitlab.example.org:2222/group/app.git",
            "git@github.com:octo-org/hello.git",
            "https://8.8.8.8/repo.git",
            "https://[2001:4860:4860::8888]/repo.git"})
    void acceptsHttpsAndSshToPublicHosts(String url) {
        assertThat(defaults.refusal(url)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "file:///etc/passwd",
            "http://github.com/octo-org/hello.git",
            "git://github.com/octo-org/hello.git",
            "ext::sh -c touch% /tmp/pwned",
            "",
            "https:///no-host"})
    void refusesSchemesThatAreNotAllowed(String url) {
        assertThat(defaults.refusal(url)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "https://127.0.0.1/repo.git",
            "https://localhost/repo.git",
            "https://LOCALHOST./repo.git",
            "https://169.254.169.254/latest/meta-data",
            "https://10.0.0.8/repo.git",
            "https://192.168.1.1/repo.git",
            "https://172.16.5.4/repo.git",
            "https://100.64.0.1/repo.git",
            "https://0.0.0.0/repo.git",
            "https://[::1]/repo.git",
            "https://[fd00::1]/repo.git",
            "https://[fe80::1%25eth0]/repo.git",
            // decimal, octal, hex and short forms of 127.0.0.1 / 169.254.169.254
            "https://2130706433/repo.git",
            "https://0177.0.0.1/repo.git",
            "https://0x7f.0x0.0x0.0x1/repo.git",
            "https://0x7f000001/repo.git",
            "https://127.1/repo.git",
            "https://2852039166/latest/meta-data",
            "https://0xa9fea9fe/latest/meta-data",
            // IPv4-mapped, IPv4-compatible and NAT64 IPv6
            "https://[::ffff:127.0.0.1]/repo.git",
            "https://[::ffff:a9fe:a9fe]/latest/meta-data",
            "https://[::127.0.0.1]/repo.git",
            "https://[64:ff9b::10.0.0.1]/repo.git",
            // userinfo tricks: the host is what follows the last @
            "https://github.com@127.0.0.1/repo.git",
            "https://github.com:443@169.254.169.254/",
            "ssh://git@10.1.2.3/repo.git",
            "git@192.168.0.10:org/repo.git"})
    void refusesLoopbackPrivateAndMetadataAddressesInEveryForm(String url) {
        assertThat(defaults.refusal(url)).as(url).isPresent();
    }

    @Test
    void hostNamesAndMalformedNumbersAreNoAddressLiteralsButEveryNumberFormIs() throws Exception {
        assertThat(CloneUrlPolicy.parseLiteral("git.example.org")).isEmpty();
        assertThat(CloneUrlPolicy.parseLiteral("10.0.0.example")).isEmpty();
        assertThat(CloneUrlPolicy.parseLiteral("0x7g.0.0.1")).isEmpty();
        assertThat(CloneUrlPolicy.parseLiteral("089.0.0.1")).as("8 is no octal digit").isEmpty();
        assertThat(CloneUrlPolicy.parseLiteral("1e3")).isEmpty();
        assertThat(CloneUrlPolicy.parseLiteral("99999999999999999999")).as("beyond a long").isEmpty();
        assertThat(CloneUrlPolicy.parseLiteral("-.0.0.1")).isEmpty();
        assertThat(CloneUrlPolicy.parseLiteral("0177.0x0.0.1")).contains(InetAddress.getByName("127.0.0.1"));
        assertThat(CloneUrlPolicy.parseLiteral("0xA9FEA9FE")).contains(InetAddress.getByName("169.254.169.254"));
        assertThat(CloneUrlPolicy.parseLiteral("10.1")).contains(InetAddress.getByName("10.0.0.1"));
    }

    @Test
    void allowsLocalUseOnlyWhenEnabled() {
        CloneUrlPolicy local = new CloneUrlPolicy(new CloneUrlPolicy.Settings(Set.of("https", "file"), Set.of(),
                true, true, false));

        assertThat(local.refusal("file:///srv/git/app.git")).isEmpty();
        assertThat(local.refusal("https://127.0.0.1:3000/app.git")).isEmpty();
        assertThat(local.refusal("https://169.254.169.254/")).as("metadata stays refused").isPresent();
        assertThat(local.refusal("https://10.0.0.1/app.git")).as("private stays refused").isPresent();
    }

    @Test
    void restrictsToAllowedHostsWhenConfigured() {
        CloneUrlPolicy onlyGitHub = new CloneUrlPolicy(new CloneUrlPolicy.Settings(Set.of("https"),
                Set.of("github.com", "*.example.org"), false, false, false));

        assertThat(onlyGitHub.refusal("https://github.com/a/b.git")).isEmpty();
        assertThat(onlyGitHub.refusal("https://git.example.org/a/b.git")).isEmpty();
        assertThat(onlyGitHub.refusal("https://gitlab.com/a/b.git")).isPresent();
        assertThat(onlyGitHub.refusal("https://github.com.evil.io/a/b.git")).isPresent();
    }

    @Test
    void namesTheReason() {
        assertThat(defaults.refusal("https://169.254.169.254/")).hasValueSatisfying(r -> assertThat(r).contains("link-local"));
        assertThat(defaults.refusal("http://x.org/")).hasValueSatisfying(r -> assertThat(r).contains("scheme 'http'"));
    }

    @Test
    void refusesHostNamesThatResolveToNonPublicAddresses() throws Exception {
        CloneUrlPolicy.Resolver dns = host -> new InetAddress[]{InetAddress.getByAddress(host, switch (host) {
            case "rebind.example.org" -> new byte[]{(byte) 169, (byte) 254, (byte) 169, (byte) 254};
            case "intranet.example.org" -> new byte[]{10, 0, 0, 7};
            default -> new byte[]{(byte) 140, 82, 121, 4};
        })};

        assertThat(defaults.refusalAfterResolving("https://github.com/a/b.git", dns)).isEmpty();
        assertThat(defaults.refusalAfterResolving("https://rebind.example.org/a.git", dns))
                .hasValueSatisfying(r -> assertThat(r).contains("link-local").contains("169.254.169.254"));
        assertThat(defaults.refusalAfterResolving("git@intranet.example.org:a/b.git", dns))
                .hasValueSatisfying(r -> assertThat(r).contains("private"));
        assertThat(defaults.refusalAfterResolving("file:///srv/app.git", dns)).isPresent();
    }

    @Test
    void aCheckNamesTheAddressesThatPassedSoTheConnectionCanUseExactlyThose() throws Exception {
        InetAddress first = InetAddress.getByAddress("git.example.org", new byte[]{(byte) 140, 82, 121, 4});
        InetAddress second = InetAddress.getByAddress("git.example.org", new byte[]{(byte) 140, 82, 121, 5});

        CloneUrlPolicy.Checked checked = defaults.check("https://Git.Example.org./a/b.git",
                host -> new InetAddress[]{first, second});

        assertThat(checked.refusal()).isEmpty();
        assertThat(checked.host()).isEqualTo("git.example.org");
        assertThat(checked.addresses()).containsExactly(first, second);
        assertThat(defaults.check("https://140.82.121.4/a.git", host -> {
            throw new AssertionError("a literal is not resolved");
        }).addresses()).extracting(InetAddress::getHostAddress).containsExactly("140.82.121.4");
        assertThat(defaults.check("https://mixed.example.org/a.git", host -> new InetAddress[]{first,
                InetAddress.getByAddress(host, new byte[]{10, 0, 0, 7})})).satisfies(c -> {
                    assertThat(c.refusal()).hasValueSatisfying(r -> assertThat(r).contains("private"));
                    assertThat(c.addresses()).as("nothing to connect to when one answer is refused").isEmpty();
                });
    }
}
