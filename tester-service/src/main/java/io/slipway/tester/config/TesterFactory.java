package io.slipway.tester.config;

import com.github.dockerjava.api.DockerClient;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.slipway.common.config.SlipwayKafkaProperties;
import io.slipway.common.kafka.KafkaClients;
import io.slipway.common.liveness.Heartbeats;
import io.slipway.common.messaging.TopicsAtStartup;
import io.slipway.common.requests.KafkaRequestStates;
import io.slipway.container.ByteSizes;
import io.slipway.container.DockerEngine;
import io.slipway.tester.adapter.docker.DockerContainerEngine;
import io.slipway.tester.adapter.files.FileReportStore;
import io.slipway.common.links.RunLinks;
import io.slipway.tester.domain.ReportStore;
import io.slipway.tester.adapter.files.PolicyDirectory;
import io.slipway.tester.adapter.openstack.OpenStackVmSuites;
import io.slipway.tester.domain.DryRunTests;
import io.slipway.tester.domain.ImagePolicies;
import io.slipway.tester.domain.Severity;
import io.slipway.tester.domain.StructureTests;
import io.slipway.tester.domain.SuiteParser;
import io.slipway.tester.domain.TesterService;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;

import java.nio.file.Path;
import java.time.Clock;

/** Builds the tester's domain objects and adapters from {@link TesterProperties}. */
@Factory
public class TesterFactory {

    @Singleton
    @Bean(preDestroy = "close")
    DockerClient dockerClient(TesterProperties p) {
        return DockerEngine.connect(p.dockerHost(), p.dockerTimeout());
    }

    @Singleton
    @Bean(preDestroy = "close")
    DockerContainerEngine containerEngine(DockerClient docker, TesterProperties p) {
        return new DockerContainerEngine(docker, new DockerContainerEngine.Limits(ByteSizes.parse(p.memory()), p.cpus(),
                p.pids(), p.serviceNetwork(), p.readOnlyRoot(), ByteSizes.parse(p.tmpfsSize())),
                new DockerContainerEngine.Registry(p.stagingRegistry(), p.registryUsername(), p.registryPassword()),
                instanceId(p),
                p.pullTimeout());
    }

    /**
     * What the trigger decided about each pull or merge request, read to the end of {@code slipway.requests} at
     * start-up (before the first image is tested) and followed until shutdown, so stale request runs are not tested.
     */
    @Context
    @Bean(preDestroy = "close")
    KafkaRequestStates requestStates(KafkaClients clients, @Named("slipway-events") Deserializer<SpecificRecord> events,
                                     Heartbeats heartbeats, SlipwayKafkaProperties kafka,
                                     @Nullable TopicsAtStartup topicsCreated) {
        return KafkaRequestStates.started(clients, "tester-service-requests", events, heartbeats,
                kafka.startupTimeout());
    }

    @Singleton
    FileReportStore reportStore(TesterProperties p) {
        return new FileReportStore(Path.of(p.reportsDir()), p.publicUrl());
    }

    @Singleton
    OpenStackTesting openStackTesting() {
        return OpenStackTesting.fromEnvironment(System.getenv());
    }

    /** The dry-run backend: every image passes untested (see {@link DryRunTests}). */
    @Singleton
    @Requires(property = "slipway.dry-run", value = "true")
    DryRunTests dryRunTests() {
        LoggerFactory.getLogger(TesterFactory.class).warn("DRY RUN: images are not pulled or tested; every image passes");
        return new DryRunTests();
    }

    @Singleton
    @Requires(property = "slipway.dry-run", notEquals = "true")
    TesterService testerService(DockerContainerEngine engine, FileReportStore reports, TesterProperties p,
                                OpenStackTesting openStack) {
        TesterProperties.Policies policies = p.policies();
        ImagePolicies.Settings settings = new ImagePolicies.Settings(Severity.parse(policies.nonRootUser()),
                Severity.parse(policies.healthcheck()), Severity.parse(policies.noSetuidSetgid()),
                Severity.parse(policies.noSecretEnv()), policies.secretEnvNames());
        PolicyDirectory provider = new PolicyDirectory(p.policyDir() == null || p.policyDir().isBlank() ? null
                : Path.of(p.policyDir()));
        SuiteParser parser = new SuiteParser(new SuiteParser.Limits(p.serviceStartupTimeout(),
                p.maxServiceStartupTimeout(), p.maxSetupSteps(), p.maxCommands()));
        // The tester keeps and serves each report (behind the management token); people read it on the dashboard.
        ReportStore announced = (runId, attempt, junitXml) -> {
            reports.store(runId, attempt, junitXml);
            return RunLinks.report(p.dashboardUrl(), runId, attempt);
        };
        return new TesterService(engine, parser, new StructureTests(p.testTimeout(), p.suitesTimeout()),
                new ImagePolicies(settings), provider, announced, policies.warningThreshold(), Clock.systemUTC(),
                openStack.configured() ? new OpenStackVmSuites(openStack.tester()) : null);
    }

    /** The id on this instance's containers: configured, else the host name (a pod name in Kubernetes). */
    static String instanceId(TesterProperties p) {
        if (p.instanceId() != null && !p.instanceId().isBlank()) {
            return p.instanceId();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "tester";
        }
    }
}
