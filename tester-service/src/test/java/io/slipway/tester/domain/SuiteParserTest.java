package io.slipway.tester.domain;

import io.slipway.schemas.Fixtures;
import io.slipway.tester.domain.Suite.EnvVar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** container-structure-test's own suite files read as that tool reads them, and every way a file is refused. */
class SuiteParserTest {

    private final SuiteParser parser = new SuiteParser(Duration.ofSeconds(30));

    private Suite fixture(String relative) {
        return parser.parse(relative, Fixtures.text("container-structure-test/" + relative), Origin.APPLICATION);
    }

    private void assertInvalid(String yaml, String... messageParts) {
        assertThatThrownBy(() -> parser.parse("suite.yaml", yaml, Origin.APPLICATION))
                .isInstanceOf(InvalidSuite.class).message().contains(messageParts);
    }

    @Test
    void readsUpstreamsUbuntuPassSuite() {
        Suite suite = fixture("upstream-tests/ubuntu_22_04_test.yaml");

        assertThat(suite.schemaVersion()).isEqualTo("2.0.0");
        assertThat(suite.severity()).isEqualTo(Severity.FAIL);
        assertThat(suite.commandTests()).extracting(Suite.CommandTest::argv).containsExactly(
                List.of("apt-get", "help"), List.of("apt-config", "dump"), List.of("sh", "-c", "echo $PATH"));
        assertThat(suite.commandTests().get(0).expect().excludedError()).containsExactly(".*FAIL.*");
        assertThat(suite.commandTests().get(0).expect().exitCode()).isZero();
        assertThat(suite.fileExistenceTests()).extracting(Suite.FileExistenceTest::name, Suite.FileExistenceTest::shouldExist)
                .containsExactly(tuple("Root", true), tuple("Date", true),
                        tuple("Hosts File", true), tuple("Machine ID", true),
                        tuple("Dummy File", false));
        assertThat(suite.fileExistenceTests().get(0).uid()).isZero();
        assertThat(suite.fileExistenceTests().get(1).uid()).isNull();
        assertThat(suite.fileExistenceTests().get(1).isExecutableBy()).isEqualTo("owner");
        assertThat(suite.fileContentTests().get(0).expectedContents()).containsExactly(".*archive\\.ubuntu\\.com.*");
        assertThat(suite.licenseTests()).containsExactly(new Suite.LicenseTest(false,
                List.of("/usr/share/doc/ubuntu-keyring/copyright", "/usr/share/doc/dash/copyright")));
        assertThat(suite.metadataTest()).isNull();
    }

    @Test
    void readsUpstreamsVersion1FailureSuiteWithArgvCommands() {
        Suite suite = fixture("upstream-tests/ubuntu_22_04_failure_test.yaml");

        assertThat(suite.schemaVersion()).isEqualTo("1.0.0");
        assertThat(suite.commandTests().get(0).argv()).containsExactly("apt-get", "dslkfjasl");
        assertThat(suite.commandTests().get(0).expect().exitCode()).isEqualTo(1);
        assertThat(suite.fileExistenceTests().get(1).permissions()).isEqualTo("-rwxrwxrwx");
        assertThat(suite.licenseTests()).containsExactly(new Suite.LicenseTest(true, List.of()));
    }

    @Test
    void readsUpstreamsMetadataSuite() {
        Suite.MetadataTest metadata = fixture("upstream-tests/ubuntu_22_04_metadata_test.yaml").metadataTest();

        assertThat(metadata.envVars()).containsExactly(new EnvVar("SOME_KEY", "SOME_VAL", false),
                new EnvVar("EMPTY_VAR", "", false), new EnvVar("FOO_BAR", "FOO\\:BAR=BAZ", false),
                new EnvVar("REGEX_VAR", "[a-z]+-2\\.1\\.*", true));
        assertThat(metadata.unboundEnvVars()).containsExactly("BAR_FOO");
        assertThat(metadata.labels()).extracting(EnvVar::key).containsExactly("localnet.localdomain.commit_hash",
                "localnet.my-domain.my-label", "label-with-empty-val");
        assertThat(metadata.unexposedPorts()).containsExactly("80");
        assertThat(metadata.unmountedVolumes()).containsExactly("/root");
        assertThat(metadata.entrypoint()).as("omitted: not checked").isNull();
    }

    @Test
    void readsTheSmallestSuitesAndKeepsAnEmptyEntrypointApartFromAnOmittedOne() {
        Suite bazel = fixture("upstream-tests/bazel_test.yaml");
        Suite ftl = fixture("runtimes-common/ftl_node_metadata_test.structure_test.yaml");

        assertThat(bazel.metadataTest().entrypoint()).containsExactly("/custom_bin");
        assertThat(bazel.metadataTest().cmd()).containsExactly("--arg1", "--arg2");
        assertThat(ftl.metadataTest().exposedPorts()).containsExactly("8091");
        assertThat(ftl.metadataTest().cmd()).isNull();
        assertThat(parser.parse("s", "schemaVersion: '2.0.0'\nmetadataTest:\n  entrypoint: []\n", Origin.APPLICATION)
                .metadataTest().entrypoint()).isEmpty();
        assertThat(fixture("runtimes-common/ftl_node_gcp_build_test.structure_test.yaml").fileExistenceTests())
                .hasSize(2);
    }

    @Test
    void acceptsTheUserRunOptionAndAMultiLineArgument() {
        Suite suite = fixture("upstream-tests/ubuntu_22_04_containeropts_user_test.yaml");

        assertThat(suite.runOptions().user()).isEqualTo("root");
        assertThat(suite.commandTests().get(0).argv()).containsExactly("bash", "-c", "whoami\napt-get update\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"upstream-tests/ubuntu_22_04_containeropts_test.yaml",
            "upstream-tests/ubuntu_22_04_containeropts_env_test.yaml",
            "upstream-tests/ubuntu_22_04_containeropts_envfile_test.yaml"})
    void refusesRunOptionsThatWouldWeakenIsolation(String relative) {
        assertThatThrownBy(() -> fixture(relative)).isInstanceOf(InvalidSuite.class)
                .hasMessageContaining(relative + " line ").hasMessageContaining("key 'containerRunOptions.");
    }

    @Test
    void refusesLegacyKeysInsteadOfIgnoringThemAsUpstreamDoes() {
        assertThatThrownBy(() -> fixture("runtimes-common/check_if_image_tag_exists.structure_test.yaml"))
                .isInstanceOf(InvalidSuite.class)
                .hasMessage("runtimes-common/check_if_image_tag_exists.structure_test.yaml line 16: key "
                        + "'commandTests[2].shellMode' is unknown (a legacy key today's container-structure-test ignores; "
                        + "remove it)");
    }

    @Test
    void namesAnUnknownKeyWithTheKnownOnes() {
        assertInvalid("schemaVersion: '2.0.0'\nfileContentTests:\n- name: x\n  path: /x\n  expectedContent: [a]\n",
                "suite.yaml line 5: key 'fileContentTests[0].expectedContent' is unknown (known keys: excludedContents, "
                        + "expectedContents, name, path)");
        assertInvalid("schemaVersion: '2.0.0'\nmetadataTests: {}\n", "line 2: key 'metadataTests' is unknown");
    }

    @Test
    void requiresASupportedSchemaVersion() {
        assertInvalid("commandTests: []\n", "line 1: key 'schemaVersion' is required");
        assertInvalid("schemaVersion: '3.0.0'\n", "line 1: key 'schemaVersion' must be \"2.0.0\" (or \"1.0.0\"), not '3.0.0'");
        assertInvalid("schemaVersion: '1.0.0'\nmetadataTest: {}\n", "line 2: key 'metadataTest' is unknown (not in "
                + "schemaVersion 1.0.0 files");
        assertInvalid("- schemaVersion: '2.0.0'\n", "line 1: the file must be a mapping, not a list");
        assertInvalid("", "the file is empty");
        assertInvalid("schemaVersion: [", "not valid YAML");
    }

    @Test
    void refusesRegexesRe2CannotCompile() {
        assertInvalid("schemaVersion: '2.0.0'\ncommandTests:\n- name: x\n  command: ls\n  expectedOutput: ['(?=lookahead)']\n",
                "line 5: key 'commandTests[0].expectedOutput[0]' is an invalid RE2 regex '(?=lookahead)'");
        assertInvalid("schemaVersion: '2.0.0'\nmetadataTest:\n  labels:\n  - key: a\n    value: '(a)\\1'\n    isRegex: true\n",
                "line 5: key 'metadataTest.labels[0].value' is an invalid RE2 regex");
    }

    @Test
    void enforcesUpstreamsRequiredFieldsAndTypes() {
        assertInvalid("schemaVersion: '2.0.0'\ncommandTests:\n- command: ls\n", "line 3: key 'commandTests[0].name' is required");
        assertInvalid("schemaVersion: '2.0.0'\ncommandTests:\n- name: x\n", "line 3: key 'commandTests[0].command' is required");
        assertInvalid("schemaVersion: '2.0.0'\ncommandTests:\n- name: x\n  command: [ls, -l]\n",
                "line 4: key 'commandTests[0].command' must be a string in schemaVersion 2.0.0");
        assertInvalid("schemaVersion: '2.0.0'\ncommandTests:\n- name: x\n  command: ls\n  envVars:\n  - key: A\n",
                "line 6: key 'commandTests[0].envVars[0].value' is required");
        assertInvalid("schemaVersion: '2.0.0'\ncommandTests:\n- name: x\n  command: ls\n  exitCode: one\n",
                "line 5: key 'commandTests[0].exitCode' must be an integer, not 'one'");
        assertInvalid("schemaVersion: '2.0.0'\nfileExistenceTests:\n- name: x\n  path: /x\n  isExecutableBy: all\n",
                "line 5: key 'fileExistenceTests[0].isExecutableBy' must be owner, group, other or any, not 'all'");
        assertInvalid("schemaVersion: '2.0.0'\nfileExistenceTests:\n- name: x\n  path: /x\n  shouldExist: maybe\n",
                "line 5: key 'fileExistenceTests[0].shouldExist' must be true or false, not 'maybe'");
        assertInvalid("schemaVersion: '2.0.0'\ncommandTests: {}\n", "line 2: key 'commandTests' must be a list, not a mapping");
        assertInvalid("schemaVersion: '2.0.0'\nseverity: fatal\n", "line 2: key 'severity' must be fail or warn, not 'fatal'");
        assertInvalid("schemaVersion: '2.0.0'\ncommandTests:\n- name: x\n  command: ls\n  name: y\n",
                "line 5: key 'commandTests[0].name' is given twice");
    }

    @Test
    void readsTheSlipwayServiceTestsAndSeverity() {
        Suite suite = parser.parse("svc.yaml", """
                schemaVersion: '2.0.0'
                severity: warn
                serviceTests:
                - name: api
                  port: 8080
                  startupTimeout: 500ms
                  envVars: [{key: MODE, value: test}]
                  cmd: ['--verbose']
                  http:
                  - path: /health
                    method: post
                    headers: {Accept: application/json}
                    expectedStatus: 204
                    excludedBody: ['error']
                  commands:
                  - command: cat
                    args: [/etc/hostname]
                    exitCode: 0
                - name: defaults
                  port: 80
                """, Origin.PROVIDER);

        assertThat(suite.severity()).isEqualTo(Severity.WARN);
        Suite.ServiceTest api = suite.serviceTests().get(0);
        assertThat(api.startupTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(api.cmd()).containsExactly("--verbose");
        assertThat(api.http()).containsExactly(new Suite.HttpCheck("POST", "/health", java.util.Map.of("Accept",
                "application/json"), 204, List.of(), List.of("error")));
        assertThat(api.commands().get(0).name()).isEqualTo("cat /etc/hostname");
        Suite.ServiceTest defaults = suite.serviceTests().get(1);
        assertThat(defaults.startupTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.cmd()).isNull();
        assertInvalid("schemaVersion: '2.0.0'\nserviceTests:\n- name: x\n", "line 3: key 'serviceTests[0].port' is required");
        assertInvalid("schemaVersion: '2.0.0'\nserviceTests:\n- name: x\n  port: 70000\n", "between 1 and 65535");
        assertInvalid("schemaVersion: '2.0.0'\nserviceTests:\n- name: x\n  port: 80\n  startupTimeout: soon\n",
                "line 5: key 'serviceTests[0].startupTimeout' must be a duration like 90s, 20m, 1h30m or 500ms, not 'soon'");
        assertInvalid("schemaVersion: '2.0.0'\nserviceTests:\n- name: x\n  port: 80\n  startupTimeout: 30\n",
                "not '30' (a number needs a unit, e.g. 30s)");
        assertInvalid("schemaVersion: '2.0.0'\nserviceTests:\n- name: x\n  port: 80\n  startupTimeout: 1m30s\n"
                + "  http:\n  - path: /\n    headers: {Accept: [a]}\n",
                "line 8: key 'serviceTests[0].http[0].headers.Accept' must be a single value, not a list");
    }

    private final SuiteParser limited = new SuiteParser(new SuiteParser.Limits(Duration.ofSeconds(30),
            Duration.ofMinutes(2), 2, 5));

    @Test
    void aStartupTimeoutAboveTheMaximumIsClampedAndRemembered() {
        Suite suite = limited.parse("suite.yaml", "schemaVersion: '2.0.0'\nserviceTests:\n- name: slow\n  port: 80\n"
                + "  startupTimeout: 100h\n- name: fine\n  port: 81\n  startupTimeout: 2m\n- name: default\n"
                + "  port: 82\n", Origin.APPLICATION);

        assertThat(suite.serviceTests()).extracting(Suite.ServiceTest::startupTimeout,
                Suite.ServiceTest::requestedStartupTimeout).containsExactly(
                tuple(Duration.ofMinutes(2), Duration.ofHours(100)),
                tuple(Duration.ofMinutes(2), null),
                tuple(Duration.ofSeconds(30), null));
    }

    @Test
    void moreSetupStepsThanTheLimitMakeTheSuiteInvalid() {
        String twoSteps = "schemaVersion: '2.0.0'\ncommandTests:\n- name: t\n  command: 'true'\n  setup: [[a], [b]]\n";
        assertThat(limited.parse("suite.yaml", twoSteps, Origin.APPLICATION).commandTests().get(0).setup()).hasSize(2);

        assertThatThrownBy(() -> limited.parse("suite.yaml", twoSteps.replace("[[a], [b]]", "[[a], [b], [c]]"),
                Origin.APPLICATION)).isInstanceOf(InvalidSuite.class).hasMessage("suite.yaml line 5: key "
                + "'commandTests[0].setup' has 3 steps; this tester runs at most 2 setup steps per command test");
    }

    @Test
    void moreCommandsPerSuiteThanTheLimitMakeTheSuiteInvalidCountingSetupStepsAndServiceCommands() {
        String five = "schemaVersion: '2.0.0'\ncommandTests:\n- name: a\n  command: 'true'\n  setup: [[x], [y]]\n"
                + "- name: b\n  command: 'true'\nserviceTests:\n- name: s\n  port: 80\n  commands:\n"
                + "  - command: 'true'\n";
        assertThat(limited.parse("suite.yaml", five, Origin.APPLICATION).commandTests()).hasSize(2);

        assertThatThrownBy(() -> limited.parse("suite.yaml", five + "  - command: 'false'\n", Origin.APPLICATION))
                .isInstanceOf(InvalidSuite.class).hasMessageStartingWith("suite.yaml line 1: the suite runs 6 commands "
                        + "(command tests, their setup steps and service commands); this tester runs at most 5 per suite");
    }
}
