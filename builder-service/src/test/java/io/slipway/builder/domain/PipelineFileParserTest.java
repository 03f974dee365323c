package io.slipway.builder.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PipelineFileParserTest {

    private static PipelineFile parse(String yaml) {
        return PipelineFileParser.parse(yaml, "octo-org/hello");
    }

    /** The file is refused as CONFIG_INVALID, not retryable, with a message that names the file and says {@code expected}. */
    private static void assertRefused(String yaml, String expected) {
        assertThatThrownBy(() -> parse(yaml))
                .isInstanceOfSatisfying(StageFailure.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.CONFIG_INVALID);
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).startsWith(".slipway.yml").contains(expected);
                });
    }

    @Test
    void readsEveryKey() {
        PipelineFile file = parse("""
                image: team/app
                context: service
                dockerfile: docker/Dockerfile.prod
                target: runtime
                buildArgs:
                  VERSION: 1.2
                  DEBUG: false
                  NAME: "x y"
                tests:
                  - tests/structure.yaml
                  - ./tests/http.yaml
                timeout: 1h15m
                """);

        assertThat(file.image()).isEqualTo("team/app");
        assertThat(file.context()).isEqualTo("service");
        assertThat(file.dockerfile()).isEqualTo("service/docker/Dockerfile.prod");
        assertThat(file.target()).isEqualTo("runtime");
        assertThat(file.buildArgs()).containsExactly(Map.entry("VERSION", "1.2"), Map.entry("DEBUG", "false"),
                Map.entry("NAME", "x y"));
        assertThat(file.tests()).containsExactly("tests/structure.yaml", "tests/http.yaml");
        assertThat(file.timeout()).isEqualTo(Duration.ofMinutes(75));
        assertThat(file.line("tests")).isEqualTo(9);
    }

    @Test
    void anEmptyFileMeansAllDefaults() {
        PipelineFile file = parse("# nothing to configure\n");

        assertThat(file.image()).isEqualTo("octo-org/hello");
        assertThat(file.context()).isEmpty();
        assertThat(file.dockerfile()).isEqualTo("Dockerfile");
        assertThat(file.target()).isNull();
        assertThat(file.tests()).isEmpty();
        assertThat(file.timeout()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown key                | image: a\\nimgae: b                     | line 2: key 'imgae' is unknown (known keys: image, dockerfile,
            tests not a list           | image: a\\ntests: tests/a.yaml          | line 2: key 'tests' must be a list, not 'tests/a.yaml'
            list item not text         | tests:\\n  - 3                         | line 2: key 'tests[0]' must be text, not a number
            image not text             | image: [a, b]                          | line 1: key 'image' must be text, not a list
            image with a tag           | image: app:1.0                         | line 1: key 'image' is a repository name without registry or tag
            image upper case           | \\n\\nimage: My_App                    | line 3: key 'image' must be a lower-case repository name
            duplicate key              | image: a\\nimage: b                     | line 2: key 'image' is given twice
            not YAML                   | image: [a\\ntests: b                    | line 2: not valid YAML
            not a mapping              | - image                                | line 1: the file must be a mapping, not a list
            path leaves the repository | dockerfile: ../../etc/passwd           | line 1: key 'dockerfile' must be a relative path inside the repository
            absolute path              | context: /etc                          | line 1: key 'context' must be a relative path
            build args not a mapping   | buildArgs: [A]                         | line 1: key 'buildArgs' must be a mapping, not a list
            build arg without value    | buildArgs:\\n  A:                      | line 2: key 'buildArgs.A' must be a single value, not empty
            build arg bad name         | buildArgs:\\n  'A-B': x                | line 2: key 'buildArgs.A-B' is not a valid build arg name
            timeout without a unit     | timeout: 600                           | line 1: key 'timeout' must be a duration like 90s, 20m, 1h30m or 500ms, not '600' (a number needs a unit, e.g. 600s)
            zero timeout               | timeout: 0m                            | line 1: key 'timeout' must be a duration like 90s, 20m, 1h30m or 500ms, not '0m' (it must be more than zero)
            path with a NUL            | context: "a\\0b"                       | line 1: key 'context' must be a relative path inside the repository
            alias bomb                 | a: &a [x,x]\\nb: [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a] | .slipway.yml: refused: Number of aliases
            bad timeout                | timeout: soon                          | line 1: key 'timeout' must be a duration like 90s, 20m, 1h30m or 500ms, not 'soon'
            paths unknown key       | paths:\\n  includes: [a]           | line 2: key 'paths.includes' is unknown (known keys: include, exclude)
            paths not a mapping     | paths: [src/**]                   | line 1: key 'paths' must be a mapping, not a list
            paths not a list        | paths:\\n  include: src/**         | line 2: key 'paths.include' must be a list
            paths empty list        | paths:\\n  exclude: []             | line 2: key 'paths.exclude' must list at least one glob
            paths invalid glob      | paths:\\n  include: ['src/[a']     | line 2: key 'paths.include[0]' is not a valid glob (invalid glob 'src/[a': '[' is not closed by ']')
            paths blank glob        | paths:\\n  include: ['  ']         | line 2: key 'paths.include[0]' is not a valid glob (a glob must not be empty
            """)
    void refusesWhatItDoesNotUnderstandNamingTheLine(String name, String yaml, String expected) {
        assertRefused(yaml.replace("\\n", "\n"), expected);
    }

    @Test
    void readsThePathFilters() {
        PipelineFile file = parse("""
                image: team/app
                paths:
                  include: [src/**, Dockerfile, "{,**/}*.java"]
                  exclude:
                    - '**/*.md'
                """);

        assertThat(file.paths().wants("src/main/App.java")).isTrue();
        assertThat(file.paths().wants("Dockerfile")).isTrue();
        assertThat(file.paths().wants("lib/Util.java")).isTrue();
        assertThat(file.paths().wants("src/README.md")).as("excluded").isFalse();
        assertThat(file.paths().wants("docs/guide.txt")).as("not included").isFalse();
        assertThat(file.line("paths")).isEqualTo(2);
        assertThat(file.paths().describe()).isEqualTo("include [src/**, Dockerfile, {,**/}*.java], exclude [**/*.md]");
        assertThat(parse("image: a\n").paths().isNone()).isTrue();
        assertThat(parse("paths: {exclude: [docs/**]}\n").paths().wants("src/a")).as("no include: all").isTrue();
    }

    @Test
    void theBackendIsContainerUnlessTheFileSaysOpenstack() {
        PipelineFile file = parse("image: team/app\n");

        assertThat(file.backend()).isEqualTo(PipelineFile.Backend.CONTAINER);
        assertThat(file.openstack()).isNull();
        assertThat(parse("backend: container\n").backend()).isEqualTo(PipelineFile.Backend.CONTAINER);
    }

    @Test
    void readsTheOpenstackBlock() {
        PipelineFile file = parse("""
                backend: openstack
                tests:
                  - tests/vm.yaml
                openstack:
                  provision: ./ci/provision.sh
                  baseImage: 70a599e0-31e7-49b7-b260-868f441e862b
                  flavor: 1
                  network: 3cb9bc59-5699-4588-a4b1-b87f96708bc6
                  keyPair: ops
                  securityGroups: [default, web]
                  test:
                    flavor: "2"
                    securityGroups:
                      - ssh-from-slipway
                """);

        assertThat(file.backend()).isEqualTo(PipelineFile.Backend.OPENSTACK);
        assertThat(file.tests()).containsExactly("tests/vm.yaml");
        PipelineFile.OpenStack openstack = file.openstack();
        assertThat(openstack.provision()).isEqualTo("ci/provision.sh");
        assertThat(openstack.server()).isEqualTo(new PipelineFile.Server("70a599e0-31e7-49b7-b260-868f441e862b", "1",
                "3cb9bc59-5699-4588-a4b1-b87f96708bc6", "ops", List.of("default", "web")));
        assertThat(openstack.test()).isEqualTo(new PipelineFile.Server(null, "2", null, null,
                List.of("ssh-from-slipway")));
        assertThat(file.line("openstack.provision")).isEqualTo(5);
        assertThat(file.line("openstack.test.flavor")).isEqualTo(12);
    }

    @Test
    void onlyProvisionIsRequiredInTheOpenstackBlock() {
        PipelineFile file = parse("backend: openstack\nopenstack:\n  provision: provision.sh\n");

        assertThat(file.openstack().provision()).isEqualTo("provision.sh");
        assertThat(file.openstack().server()).isEqualTo(PipelineFile.Server.DEFAULTS);
        assertThat(file.openstack().test()).isEqualTo(PipelineFile.Server.DEFAULTS);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown backend            | backend: vmware                                          | line 1: key 'backend' must be container or openstack, not 'vmware'
            backend not text           | backend: [openstack]                                     | line 1: key 'backend' must be text, not a list
            openstack without block    | image: a\\nbackend: openstack                             | line 2: 'backend: openstack' needs an 'openstack' block
            block without provision    | backend: openstack\\nopenstack:\\n  flavor: m1             | line 3: key 'openstack.provision' is required
            block not a mapping        | backend: openstack\\nopenstack: ci/provision.sh           | line 2: key 'openstack' must be a mapping, not 'ci/provision.sh'
            block without backend      | openstack:\\n  provision: p.sh                            | line 1: the 'openstack' block needs 'backend: openstack'
            unknown key in block       | backend: openstack\\nopenstack:\\n  provision: p.sh\\n  flavour: m1 | line 4: key 'openstack.flavour' is unknown (known keys: provision, baseImage,
            unknown key in test        | backend: openstack\\nopenstack:\\n  provision: p.sh\\n  test:\\n    provision: x | line 5: key 'openstack.test.provision' is unknown (known keys: baseImage,
            provision leaves the repo  | backend: openstack\\nopenstack:\\n  provision: ../p.sh    | line 3: key 'openstack.provision' must be a relative path inside the repository
            provision not text         | backend: openstack\\nopenstack:\\n  provision: [p.sh]    | line 3: key 'openstack.provision' must be text, not a list
            security groups not a list | backend: openstack\\nopenstack:\\n  provision: p.sh\\n  securityGroups: default | line 4: key 'openstack.securityGroups' must be a list, not 'default'
            key pair a boolean         | backend: openstack\\nopenstack:\\n  provision: p.sh\\n  keyPair: yes | line 4: key 'openstack.keyPair' must be text, not a boolean
            duplicate key in block     | backend: openstack\\nopenstack:\\n  provision: p.sh\\n  provision: q.sh | line 4: key 'openstack.provision' is given twice
            """)
    void refusesAWrongOpenstackBlockNamingTheLine(String name, String yaml, String expected) {
        assertRefused(yaml.replace("\\n", "\n"), expected);
    }

    @Test
    void readsTheDeployBlockForTheDeployer() {
        PipelineFile file = parse("""
                image: team/app
                deploy:
                  environments: [staging, production]
                  smoke:
                    - path: /health
                    - path: /api/status?verbose=1
                      status: 204
                    - {path: /, contains: "Hello from Slipway"}
                """);

        assertThat(file.deploy()).isEqualTo(new DeployIntent(List.of("staging", "production"), List.of(
                new DeployIntent.SmokeCheck("/health", 200, null),
                new DeployIntent.SmokeCheck("/api/status?verbose=1", 204, null),
                new DeployIntent.SmokeCheck("/", 200, "Hello from Slipway"))));
        assertThat(file.line("deploy")).isEqualTo(2);
        assertThat(file.line("deploy.smoke")).isEqualTo(4);
    }

    @Test
    void eachPartOfTheDeployBlockIsOptionalAndNoBlockIsNoIntent() {
        assertThat(parse("image: a\n").deploy()).isNull();
        assertThat(parse("# nothing\n").deploy()).isNull();
        assertThat(parse("deploy: {}\n").deploy()).isEqualTo(new DeployIntent(List.of(), List.of()));
        assertThat(parse("deploy:\n  environments: [staging]\n").deploy())
                .isEqualTo(new DeployIntent(List.of("staging"), List.of()));
        assertThat(parse("deploy:\n  smoke: []\n").deploy()).isEqualTo(new DeployIntent(List.of(), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            deploy not a mapping        | deploy: [staging]                                      | line 1: key 'deploy' must be a mapping, not a list
            deploy empty                | image: a\\ndeploy:                                    | line 2: key 'deploy' must be a mapping, not empty
            unknown key in deploy       | deploy:\\n  environment: [staging]                    | line 2: key 'deploy.environment' is unknown (known keys: environments, smoke)
            environments not a list     | deploy:\\n  environments: staging                     | line 2: key 'deploy.environments' must be a list, not 'staging'
            environments empty          | deploy:\\n  environments: []                          | line 2: key 'deploy.environments' must list at least one environment
            environment not text        | deploy:\\n  environments: [1]                         | line 2: key 'deploy.environments[0]' must be text, not a number
            environment upper case      | deploy:\\n  environments:\\n    - Production          | line 3: key 'deploy.environments[0]' must be an environment name (a lower-case letter
            environment too long        | deploy:\\n  environments: [a2345678901234567890123456789012] | line 2: key 'deploy.environments[0]' must be an environment name
            environment twice           | deploy:\\n  environments: [staging, staging]          | line 2: key 'deploy.environments[1]' names 'staging' twice
            smoke not a list            | deploy:\\n  smoke: /health                            | line 2: key 'deploy.smoke' must be a list, not '/health'
            smoke check not a mapping   | deploy:\\n  smoke: [/health]                          | line 2: key 'deploy.smoke[0]' must be a mapping, not '/health'
            smoke check unknown key     | deploy:\\n  smoke:\\n    - path: /\\n      host: evil | line 4: key 'deploy.smoke[0].host' is unknown (known keys: path, status, contains)
            smoke check without path    | deploy:\\n  smoke:\\n    - status: 200               | line 3: key 'deploy.smoke[0].path' is required
            smoke path not text         | deploy:\\n  smoke:\\n    - path: [a]                 | line 3: key 'deploy.smoke[0].path' must be text, not a list
            smoke path relative         | deploy:\\n  smoke:\\n    - path: health              | line 3: key 'deploy.smoke[0].path' must be an absolute path on the deployment like /health (an absolute path starts with '/'
            smoke path with a scheme    | deploy:\\n  smoke:\\n    - path: http://evil.example/ | line 3: key 'deploy.smoke[0].path' must be an absolute path on the deployment like /health (an absolute path starts with '/'
            smoke path to another host  | deploy:\\n  smoke:\\n    - path: //evil.example/x    | line 3: key 'deploy.smoke[0].path' must be an absolute path on the deployment like /health (contains '//')
            smoke path with user info   | deploy:\\n  smoke:\\n    - path: /@evil.example      | line 3: key 'deploy.smoke[0].path' must be an absolute path on the deployment like /health (contains '@')
            smoke path with backslash   | deploy:\\n  smoke:\\n    - path: '/\\\\evil.example'  | line 3: key 'deploy.smoke[0].path' must be an absolute path on the deployment like /health (contains '\\')
            smoke path with a control   | deploy:\\n  smoke:\\n    - path: "/a\\r\\nX: 1"    | line 3: key 'deploy.smoke[0].path' must be an absolute path on the deployment like /health (character U+000D is not allowed
            smoke path too long         | deploy:\\n  smoke:\\n    - path: /%s                 | line 3: key 'deploy.smoke[0].path' must be an absolute path on the deployment like /health (longer than 512 characters)
            status not a number         | deploy:\\n  smoke:\\n    - {path: /, status: ok}     | line 3: key 'deploy.smoke[0].status' must be an integer, not 'ok'
            status out of range         | deploy:\\n  smoke:\\n    - {path: /, status: 600}    | line 3: key 'deploy.smoke[0].status' must be an HTTP status from 100 to 599, not 600
            status too low              | deploy:\\n  smoke:\\n    - {path: /, status: 99}     | line 3: key 'deploy.smoke[0].status' must be an HTTP status from 100 to 599, not 99
            contains empty              | deploy:\\n  smoke:\\n    - {path: /, contains: ''}   | line 3: key 'deploy.smoke[0].contains' must be 1 to 1024 characters long, not 0
            contains a list             | deploy:\\n  smoke:\\n    - {path: /, contains: [a]}  | line 3: key 'deploy.smoke[0].contains' must be a single value, not a list
            contains too long           | deploy:\\n  smoke:\\n    - {path: /, contains: '%s'} | line 3: key 'deploy.smoke[0].contains' must be 1 to 1024 characters long, not 1025
            duplicate key in smoke      | deploy:\\n  smoke:\\n    - path: /\\n      path: /x | line 4: key 'deploy.smoke[0].path' is given twice
            """)
    void refusesADeployBlockItCannotHonourNamingTheLine(String name, String yaml, String expected) {
        assertRefused(yaml.replace("\\n", "\n").replace("/%s", "/" + "a".repeat(512)).replace("%s", "c".repeat(1025)),
                expected);
    }

    @Test
    void boundsTheListsOfTheDeployBlock() {
        String environments = String.join(", ", java.util.stream.IntStream.rangeClosed(1, 21).mapToObj(i -> "env" + i)
                .toList());
        String smoke = "    - path: /\n".repeat(21);

        assertThat(parse("deploy:\n  environments: [" + environments.substring(0, environments.lastIndexOf(",")) + "]\n")
                .deploy().environments()).hasSize(20);
        assertThatThrownBy(() -> parse("deploy:\n  environments: [" + environments + "]\n"))
                .hasMessageContaining("line 2: key 'deploy.environments' may list at most 20 environments, not 21");
        assertThatThrownBy(() -> parse("deploy:\n  smoke:\n" + smoke))
                .hasMessageContaining("line 3: key 'deploy.smoke' may list at most 20 smoke checks, not 21");
    }

    @Test
    void derivesTheDefaultImageFromTheRepositoryName() {
        assertThat(PipelineFileParser.defaultImage("Octocoders/Hello_World")).isEqualTo("octocoders/hello_world");
        assertThat(PipelineFileParser.defaultImage("team/App Name!")).isEqualTo("team/app-name");
        assertThat(List.of(PipelineFileParser.defaultImage("a/b"))).containsExactly("a/b");
    }
}
