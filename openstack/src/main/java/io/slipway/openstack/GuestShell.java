package io.slipway.openstack;

/** Runs a shell command line inside a VM and returns what it did. */
interface GuestShell {

    record Result(int exitCode, String stdout, String stderr) {
    }

    Result run(String commandLine);

    /** {@code text} as one word for a POSIX shell. */
    static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
