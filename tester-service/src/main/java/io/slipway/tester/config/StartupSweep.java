package io.slipway.tester.config;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.slipway.tester.adapter.docker.DockerContainerEngine;
import io.slipway.tester.adapter.files.FileReportStore;
import jakarta.annotation.PostConstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * Before the listener takes its first record, removes the containers and images a killed tester left behind (see
 * {@link DockerContainerEngine#sweep}), the OpenStack test servers of this owner or past their lease (when OpenStack
 * is configured), and reports past their retention. An unreachable engine does not stop the
 * start-up: runs retry until it is back, and the next start sweeps. A dry-run tester (benchmarks) touches no engine.
 */
@Context
@Requires(property = "slipway.dry-run", notEquals = "true")
public class StartupSweep {

    private static final Logger LOG = LoggerFactory.getLogger(StartupSweep.class);

    private final DockerContainerEngine engine;
    private final FileReportStore reports;
    private final TesterProperties properties;
    private final OpenStackTesting openStack;

    StartupSweep(DockerContainerEngine engine, FileReportStore reports, TesterProperties properties,
                 OpenStackTesting openStack) {
        this.openStack = openStack;
        this.engine = engine;
        this.reports = reports;
        this.properties = properties;
    }

    @PostConstruct
    void sweep() {
        try {
            engine.sweep(properties.orphanAge());
        } catch (RuntimeException e) {
            LOG.warn("Could not sweep leftover tester containers: {}", e.getMessage());
        }
        if (openStack.configured()) {
            try {
                LOG.info("OpenStack sweep of leftover test servers: {}", openStack.tester().sweep());
            } catch (RuntimeException e) {
                LOG.warn("Could not sweep leftover OpenStack test servers: {}", e.getMessage());
            }
        }
        try {
            reports.purge(properties.reportRetention());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not purge old reports: {}", e.getMessage());
        }
    }
}
