package io.slipway.tester.adapter.openstack;

import io.slipway.common.kafka.TransientFailure;
import io.slipway.openstack.VmCheck;
import io.slipway.openstack.VmCheckResult;
import io.slipway.openstack.VmFailureReason;
import io.slipway.openstack.VmImageException;
import io.slipway.openstack.VmTestReport;
import io.slipway.openstack.VmTestRequest;
import io.slipway.openstack.VmTester;
import io.slipway.tester.domain.Outcome.Reason;
import io.slipway.tester.domain.Suite;
import io.slipway.tester.domain.SuiteReport;
import io.slipway.tester.domain.SuiteReport.TestCase;
import io.slipway.tester.domain.VmImageTester;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tester's {@link VmImageTester} on the {@code openstack} module's {@link VmTester}: every suite's checks run on
 * one throwaway server. commandTests (with envVars through {@code env}), fileExistenceTests, fileContentTests,
 * serviceTests' port, plain GET checks and commands map to {@link VmCheck}s; what has no VM equivalent or is not
 * implemented (metadataTest, licenseTests, command setup, uid/gid/isExecutableBy, HTTP checks with headers or body
 * expectations, a service's cmd/envVars) is reported as a skipped test case saying why. {@code INFRASTRUCTURE}
 * becomes a {@link TransientFailure}; any other failure to run the test {@link VmImageTester.Unavailable}.
 */
public final class OpenStackVmSuites implements VmImageTester {

    private final VmTester tester;

    public OpenStackVmSuites(VmTester tester) {
        this.tester = tester;
    }

    private record Planned(int suite, String name, VmCheck check, String skipped) {
    }

    @Override
    public List<SuiteReport> test(String runId, String imageId, List<Suite> suites) {
        List<Planned> plan = new ArrayList<>();
        for (int i = 0; i < suites.size(); i++) {
            plan(i, suites.get(i), plan);
        }
        List<VmCheck> checks = plan.stream().filter(p -> p.check() != null).map(Planned::check).toList();
        Map<String, VmCheckResult> results = new HashMap<>();
        long millis = 0;
        if (!checks.isEmpty()) {
            VmTestReport report;
            try {
                report = tester.test(new VmTestRequest(runId, imageId, checks, null));
            } catch (VmImageException e) {
                if (e.reason() == VmFailureReason.INFRASTRUCTURE) {
                    throw new TransientFailure("OpenStack unavailable while testing VM image " + imageId + ": "
                            + e.getMessage(), e);
                }
                throw new Unavailable(reason(e.reason()), "Testing VM image " + imageId + " failed: " + e.getMessage(),
                        e.retryable(), e.logExcerpt());
            }
            report.results().forEach(r -> results.put(r.name(), r));
            millis = report.duration().toMillis();
        }
        List<SuiteReport> reports = new ArrayList<>();
        for (int i = 0; i < suites.size(); i++) {
            Suite suite = suites.get(i);
            List<TestCase> cases = new ArrayList<>();
            for (Planned p : plan) {
                if (p.suite() != i) {
                    continue;
                }
                if (p.check() == null) {
                    cases.add(TestCase.skipped(p.name(), p.skipped()));
                    continue;
                }
                VmCheckResult result = results.get(p.check().name());
                if (result == null) {
                    cases.add(TestCase.of(p.name(), suite.severity(), List.of(new SuiteReport.Failure(p.name(),
                            "a result", "none reported by the VM tester")), 0, ""));
                } else {
                    cases.add(TestCase.of(p.name(), suite.severity(), result.passed() ? List.of()
                                    : List.of(new SuiteReport.Failure(p.name(), "to pass", result.detail())),
                            result.duration() == null ? 0 : result.duration().toMillis(), ""));
                }
            }
            reports.add(new SuiteReport(suite.name(), suite.origin(), cases, i == 0 ? millis : 0));
        }
        return reports;
    }

    private static void plan(int i, Suite suite, List<Planned> plan) {
        for (Suite.CommandTest test : suite.commandTests()) {
            String name = "Command Test: " + test.name();
            if (!test.setup().isEmpty()) {
                plan.add(new Planned(i, name, null, "setup commands are not supported on VMs"));
                continue;
            }
            List<Suite.EnvVar> env = new ArrayList<>(suite.globalEnvVars());
            env.addAll(test.envVars());
            plan.add(new Planned(i, name, command(key(i, plan), withEnv(env, test.argv()), test.expect()), null));
        }
        for (Suite.FileExistenceTest test : suite.fileExistenceTests()) {
            String name = "File Existence Test: " + test.name();
            plan.add(new Planned(i, name, new VmCheck.FileExists(key(i, plan), test.path(), test.shouldExist(),
                    test.permissions()), null));
            if (test.uid() != null || test.gid() != null || test.isExecutableBy() != null) {
                plan.add(new Planned(i, name + " (uid/gid/isExecutableBy)", null,
                        "uid, gid and isExecutableBy are not checked on VMs"));
            }
        }
        for (Suite.FileContentTest test : suite.fileContentTests()) {
            plan.add(new Planned(i, "File Content Test: " + test.name(), new VmCheck.FileContent(key(i, plan),
                    test.path(), test.expectedContents(), test.excludedContents()), null));
        }
        if (suite.metadataTest() != null) {
            plan.add(new Planned(i, "Metadata Test", null,
                    "container configuration (env, entrypoint, cmd, ports, labels) has no VM equivalent"));
        }
        if (!suite.licenseTests().isEmpty()) {
            plan.add(new Planned(i, "License Test", null, "license tests are not implemented for VMs"));
        }
        for (Suite.ServiceTest service : suite.serviceTests()) {
            String name = "Service Test: " + service.name();
            if ((service.cmd() != null && !service.cmd().isEmpty()) || !service.envVars().isEmpty()) {
                plan.add(new Planned(i, name + " (cmd/envVars)", null,
                        "a VM runs the services its image starts at boot; cmd and envVars are not applied"));
            }
            plan.add(new Planned(i, name + " port " + service.port(),
                    new VmCheck.PortListening(key(i, plan), service.port()), null));
            for (Suite.HttpCheck http : service.http()) {
                String check = name + " " + http.method() + " " + http.path();
                if (!"GET".equalsIgnoreCase(http.method()) || !http.headers().isEmpty()
                        || !http.expectedBody().isEmpty() || !http.excludedBody().isEmpty()) {
                    plan.add(new Planned(i, check, null,
                            "on VMs only GET checks of the status are supported (no headers, no body expectations)"));
                } else {
                    plan.add(new Planned(i, check, new VmCheck.HttpResponds(key(i, plan),
                            "http://127.0.0.1:" + service.port() + http.path(), http.expectedStatus()), null));
                }
            }
            for (Suite.ServiceCommand command : service.commands()) {
                plan.add(new Planned(i, name + " " + command.name(),
                        command(key(i, plan), command.argv(), command.expect()), null));
            }
        }
    }

    /** A unique check name, so results map back to their suite and case. */
    private static String key(int suite, List<Planned> plan) {
        return "s" + suite + "c" + plan.size();
    }

    private static List<String> withEnv(List<Suite.EnvVar> env, List<String> argv) {
        if (env.isEmpty()) {
            return argv;
        }
        List<String> full = new ArrayList<>();
        full.add("env");
        env.forEach(e -> full.add(e.key() + "=" + e.value()));
        full.addAll(argv);
        return full;
    }

    private static VmCheck.Command command(String name, List<String> argv, Suite.OutputExpectations expect) {
        return new VmCheck.Command(name, argv, expect.exitCode(), expect.expectedOutput(), expect.excludedOutput(),
                expect.expectedError(), expect.excludedError());
    }

    static Reason reason(VmFailureReason reason) {
        return switch (reason) {
            case IMAGE_NOT_FOUND -> Reason.IMAGE_NOT_FOUND;
            case QUOTA_EXCEEDED -> Reason.QUOTA_EXCEEDED;
            case TIMEOUT -> Reason.TIMEOUT;
            case CONFIG_INVALID, IMAGE_MISMATCH -> Reason.CONFIG_INVALID;
            case INFRASTRUCTURE -> Reason.INFRASTRUCTURE;
            case SERVER_ERROR, PROVISION_FAILED, SNAPSHOT_FAILED -> Reason.SERVER_ERROR;
        };
    }
}
