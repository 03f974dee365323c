package io.slipway.openstack;

import java.util.List;

/**
 * One check the tester runs inside a throwaway server over SSH, modelled on Google container-structure-test
 * (commandTests, fileExistenceTests, fileContentTests) plus serverspec/goss-style service checks. Regexes use
 * Java syntax and match anywhere in the text, as container-structure-test's do.
 */
public sealed interface VmCheck {

    String name();

    /** Runs {@code command} (argv, shell-quoted for the remote shell) and checks exit code, stdout and stderr. */
    record Command(String name, List<String> command, Integer exitCode, List<String> expectedOutput,
                   List<String> excludedOutput, List<String> expectedError, List<String> excludedError)
            implements VmCheck {
        public Command {
            command = List.copyOf(command);
            expectedOutput = orEmpty(expectedOutput);
            excludedOutput = orEmpty(excludedOutput);
            expectedError = orEmpty(expectedError);
            excludedError = orEmpty(excludedError);
        }
    }

    /** The path exists (or not, when {@code shouldExist} is false), with {@code permissions} like {@code -rw-r--r--} if set. */
    record FileExists(String name, String path, boolean shouldExist, String permissions) implements VmCheck {
    }

    /** The file's content matches every expected regex and none of the excluded ones. */
    record FileContent(String name, String path, List<String> expectedContents, List<String> excludedContents)
            implements VmCheck {
        public FileContent {
            expectedContents = orEmpty(expectedContents);
            excludedContents = orEmpty(excludedContents);
        }
    }

    /** A TCP socket listens on {@code port} inside the VM (read from Linux's {@code /proc/net/tcp} and {@code tcp6}). */
    record PortListening(String name, int port) implements VmCheck {
    }

    /** {@code curl} inside the VM gets {@code status} from {@code url} (the image needs curl). */
    record HttpResponds(String name, String url, int status) implements VmCheck {
    }

    private static List<String> orEmpty(List<String> list) {
        return list == null ? List.of() : List.copyOf(list);
    }
}
