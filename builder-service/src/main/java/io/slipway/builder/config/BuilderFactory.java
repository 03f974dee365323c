package io.slipway.builder.config;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.AuthConfig;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.slipway.builder.adapter.docker.DockerImageBuilder;
import io.slipway.builder.adapter.git.JGitSources;
import io.slipway.builder.adapter.git.Mirrors;
import io.slipway.builder.adapter.openstack.OpenStackVmImages;
import io.slipway.builder.adapter.registry.RegistryStaging;
import io.slipway.builder.domain.BuildService;
import io.slipway.builder.domain.DryRunBuilds;
import io.slipway.builder.domain.StreamedLog;
import io.slipway.builder.domain.Supersession;
import io.slipway.builder.messaging.KafkaLogStream;
import io.micrometer.core.instrument.MeterRegistry;
import io.slipway.common.config.SchemaRegistryProperties;
import io.slipway.schemas.registry.SchemaRegistryClient;
import io.slipway.schemas.serde.AvroEventSerializer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import io.slipway.common.config.ImageOwnerProperties;
import io.slipway.common.config.SlipwayKafkaProperties;
import io.slipway.common.kafka.KafkaClients;
import io.slipway.common.liveness.Heartbeats;
import io.slipway.common.messaging.TopicsAtStartup;
import io.slipway.common.requests.KafkaRequestStates;
import io.slipway.common.policy.ImageOwnership;
import io.slipway.common.policy.CloneUrlPolicy;
import io.slipway.common.policy.Origin;
import io.slipway.common.text.SecretMask;
import io.slipway.container.ByteSizes;
import io.slipway.container.DockerEngine;
import io.slipway.container.oci.HttpOciRegistryClient;
import io.slipway.container.oci.RegistryEndpoint;
import io.slipway.openstack.OpenStackCloud;
import io.slipway.openstack.OpenStackSettings;
import io.slipway.openstack.OpenStackVmImageBuilder;
import io.slipway.openstack.SweepReport;
import io.slipway.openstack.VmBuilderSettings;
import io.slipway.openstack.VmImageBuilder;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** Builds the builder's domain service and its adapters (git, Docker, registry) from configuration. */
@Factory
public class BuilderFactory {

    private static final int EXCERPT_BYTES = 8 * 1024;
    private static final Duration REGISTRY_TIMEOUT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(BuilderFactory.class);
    private static final String DRY_RUN = "slipway.dry-run";
    private static final int LOG_STREAM_MAX_BLOCK_MS = 5000;
    private static final int LOG_STREAM_MAX_QUEUED = 256;

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Singleton
    @Bean(preDestroy = "close")
    public DockerClient dockerClient(BuilderProperties properties) {
        // Build output may pause for long (a silent RUN step): the response timeout must outlast any build.
        return DockerEngine.connect(properties.docker().host(),
                properties.timeout().plus(properties.docker().pushTimeout()).plusMinutes(5));
    }

    @Singleton
    @Requires(property = DRY_RUN, notEquals = "true")
    public BuildService buildService(BuilderProperties properties, DockerClient docker, Supersession supersession,
                                     Clock clock, ImageOwnership ownership, StreamedLog.Streams streams) {
        // Created with the service, so the sweep runs before the listener consumes its first commit.
        return buildService(properties, docker, supersession, clock, ownership, openStack(System.getenv()).orElse(null),
                streams);
    }

    /**
     * The build log stream: {@code LogChunk}s on {@code slipway.logs} from a producer of its own (the one factory's
     * durable settings), which waits at most {@value #LOG_STREAM_MAX_BLOCK_MS} ms for the broker's metadata so that
     * an unreachable broker never holds the sender thread for long.
     */
    @Singleton
    @Bean(preDestroy = "close")
    KafkaLogStream kafkaLogStream(KafkaClients clients, SchemaRegistryClient registry,
                                  SchemaRegistryProperties registrySettings, Clock clock, MeterRegistry meters) {
        Map<String, Object> settings = clients.producerSettings("builder-service-logs");
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Integer.toString(LOG_STREAM_MAX_BLOCK_MS));
        Producer<String, SpecificRecord> producer = new KafkaProducer<>(settings, new StringSerializer(),
                new AvroEventSerializer(registry, registrySettings.autoRegister()));
        ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "builder-log-stream");
            thread.setDaemon(true);
            return thread;
        });
        return new KafkaLogStream(producer, sender, clock, meters, LOG_STREAM_MAX_QUEUED, Duration.ofSeconds(5));
    }

    /** Each attempt's streamed build log, bounded by {@code slipway.builder.log-stream}. */
    @Singleton
    StreamedLog.Streams logStreams(KafkaLogStream stream, BuilderProperties properties) {
        StreamedLog.Settings defaults = StreamedLog.Settings.defaults();
        return new StreamedLog.Streams(stream, stream::schedule, new StreamedLog.Settings(defaults.chunkBytes(),
                defaults.linger(), ByteSizes.parse(properties.logStream().limit()), properties.logStream().flushWait()));
    }

    /**
     * What the trigger decided about each pull or merge request, read to the end of {@code slipway.requests} at
     * start-up (before the first commit is built) and followed until shutdown, so stale request runs are not built.
     */
    @Context
    @Bean(preDestroy = "close")
    KafkaRequestStates requestStates(KafkaClients clients, @Named("slipway-events") Deserializer<SpecificRecord> events,
                                     Heartbeats heartbeats, SlipwayKafkaProperties kafka,
                                     @Nullable TopicsAtStartup topicsCreated) {
        return KafkaRequestStates.started(clients, "builder-service-requests", events, heartbeats,
                kafka.startupTimeout());
    }

    /** Built at start-up, so a malformed owner rule stops the service before it consumes anything. */
    @Context
    ImageOwnership imageOwnership(List<ImageOwnerProperties> owners) {
        return ImageOwnerProperties.ownership(owners);
    }

    /** The dry-run backend: announces an image for every commit without building anything (see {@link DryRunBuilds}). */
    @Singleton
    @Requires(property = DRY_RUN, value = "true")
    public DryRunBuilds dryRunBuilds(BuilderProperties properties, StreamedLog.Streams streams) {
        LOG.warn("DRY RUN: commits are not fetched, built or pushed; ImageBuilt names an image that does not exist");
        return new DryRunBuilds(properties.registry().host(), properties.registry().prefix(),
                streams.with(streams.settings().withFlushWait(Duration.ZERO)));
    }

    /**
     * The OpenStack VM backend when the environment configures it ({@code OS_AUTH_URL} set), after sweeping what a
     * killed builder of this owner (or any expired one) left in the cloud; empty otherwise.
     *
     * @throws io.slipway.openstack.VmImageException CONFIG_INVALID when {@code OS_AUTH_URL} is set but the rest of
     *                                               the OpenStack settings are missing or wrong
     */
    public static Optional<VmImageBuilder> openStack(Map<String, String> environment) {
        if (blank(environment.get("OS_AUTH_URL"))) {
            LOG.info("OpenStack backend not configured (OS_AUTH_URL is not set): repositories asking for "
                    + "'backend: openstack' fail as CONFIG_INVALID");
            return Optional.empty();
        }
        OpenStackSettings settings = OpenStackSettings.fromEnvironment(environment);
        VmImageBuilder builder = new OpenStackVmImageBuilder(new OpenStackCloud(settings),
                VmBuilderSettings.fromEnvironment(environment));
        LOG.info("OpenStack backend configured: {}", settings);
        SweepReport swept = builder.sweep();
        LOG.info("OpenStack start-up sweep removed {} server(s) {} and {} unfinished image(s) {}{}",
                swept.deletedServers().size(), swept.deletedServers(), swept.deletedImages().size(),
                swept.deletedImages(), swept.failures().isEmpty() ? "" : "; could not remove: " + swept.failures());
        return Optional.of(builder);
    }

    /** The build service with no log stream; {@code vmImageBuilder} null when this builder has no OpenStack backend. */
    public BuildService buildService(BuilderProperties properties, DockerClient docker, Supersession supersession,
                                     Clock clock, ImageOwnership ownership, VmImageBuilder vmImageBuilder) {
        return buildService(properties, docker, supersession, clock, ownership, vmImageBuilder,
                StreamedLog.Streams.NONE);
    }

    /** The build service streaming each attempt's log through {@code streams}. */
    public BuildService buildService(BuilderProperties properties, DockerClient docker, Supersession supersession,
                                     Clock clock, ImageOwnership ownership, VmImageBuilder vmImageBuilder,
                                     StreamedLog.Streams streams) {
        BuilderProperties.Registry registry = properties.registry();
        boolean anonymous = blank(registry.username());
        RegistryEndpoint endpoint = new RegistryEndpoint(registry.host(), registry.address(), registry.insecure(), anonymous ? null
                : registry.username(), anonymous ? null : Objects.requireNonNullElse(registry.password(), ""));
        AuthConfig auth = anonymous ? null : new AuthConfig().withUsername(endpoint.username())
                .withPassword(endpoint.password()).withRegistryAddress(registry.host());
        BuilderProperties.Git git = properties.git();
        BuilderProperties.CloneUrls urls = properties.cloneUrls();
        CloneUrlPolicy policy = new CloneUrlPolicy(new CloneUrlPolicy.Settings(Set.copyOf(urls.schemes()),
                urls.allowedHosts() == null ? Set.of() : Set.copyOf(urls.allowedHosts()), urls.allowFile(),
                urls.allowLoopback(), urls.allowPrivate()));
        Path workdir = Path.of(properties.workdir());
        Mirrors mirrors = new Mirrors(workdir.resolve("mirrors"), new Mirrors.Limits(git.mirrorMaxAge(),
                ByteSizes.parse(git.mirrorMaxSize()), Mirrors.Limits.DEFAULT.pruneInterval()), clock);
        JGitSources sources = new JGitSources(mirrors, policy, InetAddress::getAllByName, gitCredentials(git),
                git.timeout(), git.fetchDeadline());
        DockerImageBuilder builder = new DockerImageBuilder(docker, properties.docker().host(),
                new DockerImageBuilder.Limits(ByteSizes.parse(properties.docker().memory()),
                        properties.docker().cpuShares(), properties.docker().cpusetCpus(),
                        properties.docker().pushTimeout(), ByteSizes.parse(properties.docker().contextMax())), auth);
        RegistryStaging staging = new RegistryStaging(new HttpOciRegistryClient(endpoint, REGISTRY_TIMEOUT,
                REGISTRY_TIMEOUT), registry.prefix());
        Map<String, String> buildArgs = properties.buildArgs() == null ? Map.of() : properties.buildArgs();
        return new BuildService(new BuildService.Settings(properties.timeout(), workdir.resolve("workspaces"),
                EXCERPT_BYTES, buildArgs, ownership), sources, staging, builder, supersession,
                mask(properties, endpoint, buildArgs),
                clock, vmImageBuilder == null ? null : new OpenStackVmImages(vmImageBuilder), streams);
    }

    /**
     * The git credentials, bound to {@code SLIPWAY_GIT_CREDENTIAL_HOST}: without it they are sent nowhere, since a clone
     * URL names whatever host a pusher likes.
     *
     * @throws IllegalArgumentException when the credential host is not a server origin
     */
    static JGitSources.Credentials gitCredentials(BuilderProperties.Git git) {
        if (blank(git.username())) {
            return null;
        }
        if (blank(git.credentialHost())) {
            LOG.warn("SLIPWAY_GIT_USERNAME is set but SLIPWAY_GIT_CREDENTIAL_HOST is not: git credentials are sent to no "
                    + "server (set it to the origin they are for, e.g. https://git.example.com)");
            return null;
        }
        Origin host = Origin.parse(git.credentialHost());
        LOG.info("Git credentials of {} are offered to {} only", git.username(), host);
        return new JGitSources.Credentials(host, git.username(), Objects.requireNonNullElse(git.password(), ""));
    }

    /** Everything a build log could leak: registry and git secrets (in every encoding {@link SecretMask} knows), build args. */
    private static SecretMask mask(BuilderProperties properties, RegistryEndpoint registry,
                                   Map<String, String> buildArgs) {
        List<String> secrets = new ArrayList<>(buildArgs.values());
        if (properties.mask() != null) {
            secrets.addAll(properties.mask());
        }
        if (registry.hasCredentials()) {
            secrets.add(registry.password());
        }
        secrets.add(properties.git().password());
        return new SecretMask(secrets);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
