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
                .hasMessageContaining(relative + ", line ").hasMessageContaining("containerRunOptions.");
    }

    @Test
    void refusesLegacyKeysInsteadOfIgnoringThemAsUpstreamDoes() {
        assertThatThrownBy(() -> fixture("runtimes-common/check_if_image_tag_exists.structure_test.yaml"))
                .isInstanceOf(InvalidSuite.class)
                .hasMessage("runtimes-common/check_if_image_tag_exists.structure_test.yaml, line 16: unknown key "
                        + "'shellMode' in commandTests[2] (a legacy key today's container-structure-test ignores; remove it)");
    }

    @Test
    void namesAnUnknownKeyWithTheKnownOnes() {
        assertInvalid("schemaVersion: '2.0.0'\nfileContentTests:\n- name: x\n  path: /x\n  expectedContent: [a]\n",
                "suite.yaml, line 5: unknown key 'expectedContent' in fileContentTests[0] (known: excludedContents, "
                        + "expectedContents, name, path)");
        assertInvalid("schemaVersion: '2.0.0'\nmetadataTests: {}\n", "unknown key 'metadataTests' in the top level");
    }

    @Test
    void requiresASupportedSchemaVersion() {
        assertInvalid("commandTests: []\n", "schemaVersion is required");
        assertInvalid("schemaVersion: '3.0.0'\n", "schemaVersion '3.0.0' is not supported");
        assertInvalid("schemaVersion: '1.0.0'\nmetadataTest: {}\n", "unknown key 'metadataTest' in the top level of a "
                + "schemaVersion 1.0.0 file");
        assertInvalid("", "the file is empty");
        assertInvalid("schemaVersion: [", "not valid YAML");
    }

    @Test
    void refusesRegexesRe2CannotCompile() {
        assertInvalid("schemaVersion: '2.0.0'\ncommandTests:\n- name: x\n  command: ls\n  expectedOutput: ['(?=lookahead)']\n",
                "line 5: commandTests[0].expectedOutput[0]: invalid RE2 regex '(?=lookahead)'");
        assertInvalid("schemaVersion: '2.0.0'\nmetadataTest:\n  labels:\n  - key: a\n    value: '(a)\\1'\n    isRegex: true\n",
                "metadataTest.labels[0].value: invalid RE2 regex");
    }

    @Test
    void enforcesUpstreamsRequiredFieldsAndTypes() {
        assertInvalid("schemaVersion: '2.0.0'\ncommandTests:\n- command: ls\n", "commandTests[0]: name is required");
        assertInvalid("schemaVersion: '2.0.0'\ncommandTests:\n- name: x\n", "a command to run is required");
        assertInvalid("schemaVersion: '2.0.0'\ncommandTests:\n- name: x\n  command: [ls, -l]\n",
                "must be a string in schemaVersion 2.0.0");
        assertInvalid("schemaVersion: '2.0.0'\ncommandTests:\n- name: x\n  command: ls\n  envVars:\n  - key: A\n",
                "provide a non-empty value for A");
        assertInvalid("schemaVersion: '2.0.0'\ncommandTests:\n- name: x\n  command: ls\n  exitCode: one\n",
                "exitCode must be an integer, was 'one'");
        assertInvalid("schemaVersion: '2.0.0'\nfileExistenceTests:\n- name: x\n  path: /x\n  isExecutableBy: all\n",
                "isExecutableBy must be owner, group, other or any");
        assertInvalid("schemaVersion: '2.0.0'\nfileExistenceTests:\n- name: x\n  path: /x\n  shouldExist: maybe\n",
                "shouldExist must be true or false");
        assertInvalid("schemaVersion: '2.0.0'\ncommandTests: {}\n", "commandTests must be a list");
        assertInvalid("schemaVersion: '2.0.0'\nseverity: fatal\n", "severity must be fail or warn");
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
        assertInvalid("schemaVersion: '2.0.0'\nserviceTests:\n- name: x\n", "port is required");
        assertInvalid("schemaVersion: '2.0.0'\nserviceTests:\n- name: x\n  port: 70000\n", "between 1 and 65535");
        assertInvalid("schemaVersion: '2.0.0'\nserviceTests:\n- name: x\n  port: 80\n  startupTimeout: soon\n",
                "must look like 30s");
    }
}
