package io.slipway.devstack;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real Apache Kafka broker in KRaft mode (combined broker and controller, node id 1) running inside this JVM on
 * 127.0.0.1, or on the listen host of its {@link Network} (the controller stays on loopback). Its data directory survives restarts: storage is formatted only when the directory has no
 * {@code meta.properties} yet, so topics and unconsumed records are still there after a stop and start.
 * <p>
 * Given {@link KafkaCredentials}, clients must log in with SCRAM ({@code SASL_PLAINTEXT}) and the standard ACL
 * authorizer decides what each principal may do ({@code admin} is the super user; a request no ACL allows is denied).
 * The controller listener then takes SASL PLAIN for {@code admin} only: the broker half of this process logs in there,
 * and nobody else can reach the controller (KRaft cannot check SCRAM on it, since SCRAM users live in the metadata log
 * the controller serves).
 */
public final class EmbeddedKafka implements AutoCloseable {

    public static final String HOST = "127.0.0.1";
    public static final int DEFAULT_BROKER_PORT = 9092;
    public static final int DEFAULT_CONTROLLER_PORT = 9093;

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final int NODE_ID = 1;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    /** Kafka's minimum for SCRAM-SHA-512; these are random 192-bit passwords, not ones a person chose. */
    private static final int SCRAM_ITERATIONS = 4096;

    private static final String EXTERNAL_LISTENER = "EXTERNAL";

    private final Path dataDir;
    private final int brokerPort;
    private final int controllerPort;
    private final KafkaCredentials credentials;
    private final Network network;
    private KafkaRaftServer server;

    /**
     * Where the client listeners bind and what they advertise: the broker listener on {@code listenHost} at the
     * broker port, telling clients {@code advertised} ({@code host:port}); with an {@code externalPort} above 0 a
     * second listener on {@code listenHost} at that port telling its clients {@code externalAdvertised} (the address
     * the host's operators reach a container's Kafka by). The controller listener is always on 127.0.0.1.
     */
    public record Network(String listenHost, String advertised, int externalPort, String externalAdvertised) {

        /** Everything on 127.0.0.1, advertised as such; no external listener. */
        public static Network loopback(int brokerPort) {
            return new Network(HOST, HOST + ":" + brokerPort, 0, null);
        }

        public Network {
            if (listenHost == null || listenHost.isBlank()) {
                throw new IllegalArgumentException("a listen host is needed");
            }
            requireHostAndPort(advertised, "advertised address");
            if (externalPort < 0 || externalPort > 65535) {
                throw new IllegalArgumentException("external port " + externalPort + " is not a port number");
            }
            if (externalPort > 0) {
                requireHostAndPort(externalAdvertised, "external advertised address");
            }
        }

        boolean hasExternal() {
            return externalPort > 0;
        }

        /** Where a client in this process connects: the listen host, or 127.0.0.1 when it binds every address. */
        String connectHost() {
            return listenHost.equals("0.0.0.0") || listenHost.equals("::") ? HOST : listenHost;
        }

        private static void requireHostAndPort(String address, String what) {
            int colon = address == null ? -1 : address.lastIndexOf(':');
            boolean valid = colon > 0 && address.substring(colon + 1).matches("[0-9]{1,5}")
                    && Integer.parseInt(address.substring(colon + 1)) <= 65535 && address.strip().equals(address);
            if (!valid) {
                throw new IllegalArgumentException("the " + what + " must be host:port, got '" + address + "'");
            }
        }
    }

    /** A broker on the default ports 9092 (clients) and 9093 (controller) storing its logs in {@code dataDir}. */
    public EmbeddedKafka(Path dataDir) {
        this(dataDir, DEFAULT_BROKER_PORT, DEFAULT_CONTROLLER_PORT);
    }

    /** A broker on the given fixed ports (the KRaft voter address must be known before start, so no port 0). */
    public EmbeddedKafka(Path dataDir, int brokerPort, int controllerPort) {
        this(dataDir, brokerPort, controllerPort, null);
    }

    /** As {@link #EmbeddedKafka(Path, int, int)}, requiring SCRAM logins and ACLs when {@code credentials} is not null. */
    public EmbeddedKafka(Path dataDir, int brokerPort, int controllerPort, KafkaCredentials credentials) {
        this(dataDir, brokerPort, controllerPort, credentials, Network.loopback(brokerPort));
    }

    /** As {@link #EmbeddedKafka(Path, int, int, KafkaCredentials)}, with the client listeners as {@code network} says. */
    public EmbeddedKafka(Path dataDir, int brokerPort, int controllerPort, KafkaCredentials credentials,
                         Network network) {
        if (brokerPort <= 0 || controllerPort <= 0 || brokerPort == controllerPort
                || network.externalPort() == brokerPort || network.externalPort() == controllerPort) {
            throw new IllegalArgumentException("broker, controller and external listener need distinct fixed ports, got "
                    + brokerPort + ", " + controllerPort + " and " + network.externalPort());
        }
        this.dataDir = dataDir.toAbsolutePath();
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.credentials = credentials;
        this.network = network;
    }

    /** Formats the storage if it is new, starts the broker and returns once an Admin client sees it in the cluster. */
    public synchronized EmbeddedKafka start() {
        if (server != null) {
            throw new IllegalStateException("Kafka is already running on " + bootstrapServers());
        }
        formatStorageIfNew();
        try {
            server = startServer();
        } catch (AdminCannotLogIn e) {
            addUsersInPlaintext();
            server = startServer();
        }
        return this;
    }

    private KafkaRaftServer startServer() {
        KafkaRaftServer starting = new KafkaRaftServer(new KafkaConfig(brokerProperties(), false), Time.SYSTEM);
        try {
            starting.startup();
            awaitReady();
            if (credentials != null) {
                upsertScramUsers(credentials);
            }
        } catch (RuntimeException e) {
            starting.shutdown();
            starting.awaitShutdown();
            throw e;
        }
        return starting;
    }

    /** The metadata holds no SCRAM credential for admin that matches its file. */
    private static final class AdminCannotLogIn extends RuntimeException {
        AdminCannotLogIn(Throwable cause) {
            super(cause);
        }
    }

    /** {@code 127.0.0.1:<broker port>} (the listen host instead when it binds one address that is not loopback). */
    public String bootstrapServers() {
        return network.connectHost() + ":" + brokerPort;
    }

    /**
     * What a client of this broker needs: bootstrap servers and, when logins are required, the security settings of
     * {@code principal} (ignored on a plaintext broker).
     */
    public Map<String, Object> clientSettings(String principal) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        if (credentials != null) {
            settings.putAll(credentials.clientSettings(principal));
        }
        return Map.copyOf(settings);
    }

    /** Whether clients must log in (SASL SCRAM) and ACLs apply. */
    public boolean secured() {
        return credentials != null;
    }

    public Path dataDir() {
        return dataDir;
    }

    /**
     * Creates a topic (replication factor 1) unless it exists, and returns once this broker can serve all its
     * partitions, so a test can produce or seek right away.
     */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        try (Admin admin = Admin.create(adminProperties())) {
            try {
                admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs))).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("Cannot create topic " + name + ": " + e.getCause().getMessage(), e);
                }
            }
            awaitLeaders(admin, name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + name, e);
        }
    }

    /**
     * Makes the cluster's ACLs exactly {@code bindings}: creates those missing (creating an existing one changes
     * nothing) and deletes every other, so a rule dropped from the table does not outlive it.
     */
    public void replaceAcls(Collection<AclBinding> bindings) {
        try (Admin admin = Admin.create(adminProperties())) {
            Set<AclBinding> wanted = Set.copyOf(bindings);
            List<AclBindingFilter> stale = admin.describeAcls(AclBindingFilter.ANY).values()
                    .get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).stream()
                    .filter(binding -> !wanted.contains(binding)).map(AclBinding::toFilter).toList();
            if (!stale.isEmpty()) {
                admin.deleteAcls(stale).all().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            admin.createAcls(wanted).all().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("Kafka ACLs in place: {} rules, {} stale ones removed", wanted.size(), stale.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while setting the Kafka ACLs", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot set the Kafka ACLs on " + bootstrapServers() + ": " + e.getMessage(), e);
        }
    }

    /** Stops the broker cleanly and waits until all its threads have finished; a no-op when not running. */
    @Override
    public synchronized void close() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    private Properties brokerProperties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        String broker = credentials == null ? "PLAINTEXT" : KafkaCredentials.PROTOCOL;
        String listeners = broker + "://" + network.listenHost() + ":" + brokerPort + "," + CONTROLLER_LISTENER + "://"
                + HOST + ":" + controllerPort;
        String advertised = broker + "://" + network.advertised();
        String protocols = broker + ":" + broker + "," + CONTROLLER_LISTENER + ":" + broker;
        if (network.hasExternal()) {
            listeners += "," + EXTERNAL_LISTENER + "://" + network.listenHost() + ":" + network.externalPort();
            advertised += "," + EXTERNAL_LISTENER + "://" + network.externalAdvertised();
            protocols += "," + EXTERNAL_LISTENER + ":" + broker;
        }
        p.put("listeners", listeners);
        p.put("advertised.listeners", advertised);
        p.put("listener.security.protocol.map", protocols);
        p.put("inter.broker.listener.name", broker);
        if (credentials != null) {
            p.putAll(securityProperties());
        }
        p.put("log.dirs", dataDir.toString());
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("group.initial.rebalance.delay.ms", "0");
        // The controller appends a no-op record this often so its followers see it alive (KIP-835); this one-node
        // cluster has none, and Kafka's 500 ms made the idle broker write and read its metadata log twice a second.
        p.put("metadata.max.idle.interval.ms", "5000");
        // Sized for a 2-core development machine: few threads, small segments, a small log-cleaner buffer.
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("num.replica.fetchers", "1");
        p.put("log.cleaner.threads", "1");
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        p.put("log.segment.bytes", String.valueOf(16 * 1024 * 1024));
        p.put("metadata.log.segment.bytes", String.valueOf(8 * 1024 * 1024));
        p.put("log.index.size.max.bytes", String.valueOf(1024 * 1024));
        return p;
    }

    /** SCRAM on the client listener, PLAIN for admin alone on the controller listener, the standard authorizer. */
    private Map<String, String> securityProperties() {
        String admin = KafkaCredentials.ADMIN;
        String password = credentials.password(admin);
        String scram = KafkaCredentials.MECHANISM.toLowerCase(Locale.ROOT);
        String listener = KafkaCredentials.PROTOCOL.toLowerCase(Locale.ROOT);
        String controller = CONTROLLER_LISTENER.toLowerCase(Locale.ROOT);
        Map<String, String> p = new HashMap<>();
        p.put("sasl.enabled.mechanisms", KafkaCredentials.MECHANISM);
        p.put("sasl.mechanism.inter.broker.protocol", KafkaCredentials.MECHANISM);
        p.put("listener.name." + listener + "." + scram + ".sasl.jaas.config",
                KafkaCredentials.jaasConfig(admin, password));
        if (network.hasExternal()) {
            p.put("listener.name." + EXTERNAL_LISTENER.toLowerCase(Locale.ROOT) + "." + scram + ".sasl.jaas.config",
                    KafkaCredentials.jaasConfig(admin, password));
        }
        p.put("listener.name." + controller + ".sasl.enabled.mechanisms", "PLAIN");
        p.put("sasl.mechanism.controller.protocol", "PLAIN");
        p.put("listener.name." + controller + ".plain.sasl.jaas.config", plainLogin());
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("super.users", "User:" + admin);
        p.put("allow.everyone.if.no.acl.found", "false");
        return p;
    }

    /** admin's PLAIN login on the controller listener, which also lists it as the one user it accepts. */
    private String plainLogin() {
        String admin = KafkaCredentials.ADMIN;
        String password = credentials.password(admin);
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + admin + "\" password=\""
                + password + "\" user_" + admin + "=\"" + password + "\";";
    }

    /**
     * When admin cannot log in (storage made before logins were required holds no SCRAM user; or admin's file was
     * made anew), the broker starts once more in plaintext, on loopback and only for as long as it takes to give the
     * users their credentials from the files; KRaft takes no SCRAM change on its controller listener.
     */
    private void addUsersInPlaintext() {
        LOG.info("Giving the Kafka users in {} the credentials of {}", dataDir, credentials.source());
        try (EmbeddedKafka open = new EmbeddedKafka(dataDir, brokerPort, controllerPort, null).start()) {
            open.upsertScramUsers(credentials);
        }
    }

    /**
     * Gives every principal its SCRAM credential from the files or the environment, on each start, so a principal
     * added or a password renewed since the storage was made can log in; admin's was written when it was made.
     */
    private void upsertScramUsers(KafkaCredentials users) {
        List<UserScramCredentialAlteration> upserts = KafkaCredentials.PRINCIPALS.stream()
                .<UserScramCredentialAlteration>map(user -> new UserScramCredentialUpsertion(user,
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS), users.password(user)))
                .toList();
        try (Admin admin = Admin.create(adminProperties())) {
            admin.alterUserScramCredentials(upserts).all().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating the Kafka users", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot create the Kafka users on " + bootstrapServers() + ": "
                    + e.getMessage(), e);
        }
    }

    private void formatStorageIfNew() {
        try {
            Files.createDirectories(dataDir);
            if (Files.exists(dataDir.resolve("meta.properties"))) {
                return;
            }
            String clusterId = Uuid.randomUuid().toString();
            Formatter formatter = new Formatter();
            if (credentials != null) {
                formatter.setScramArguments(List.of(KafkaCredentials.MECHANISM + "=[name=" + KafkaCredentials.ADMIN
                        + ",password=" + credentials.password(KafkaCredentials.ADMIN) + "]"));
            }
            formatter.setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(clusterId)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .addDirectory(dataDir.toString())
                    .setMetadataLogDirectory(dataDir.toString())
                    .run();
            LOG.info("Formatted KRaft storage in {} (cluster id {})", dataDir, clusterId);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create Kafka data directory " + dataDir, e);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format KRaft storage in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private void awaitReady() {
        try (Admin admin = Admin.create(adminProperties())) {
            if (admin.describeCluster().nodes().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).isEmpty()) {
                throw new IllegalStateException("Kafka on " + bootstrapServers() + " started but reports no broker");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for Kafka on " + bootstrapServers(), e);
        } catch (ExecutionException | TimeoutException e) {
            if (e.getCause() instanceof SaslAuthenticationException) {
                throw new AdminCannotLogIn(e.getCause());
            }
            throw new IllegalStateException("Kafka on " + bootstrapServers() + " did not become ready within "
                    + READY_TIMEOUT.toSeconds() + " s: " + e.getMessage(), e);
        }
    }

    /** The controller answers CreateTopics before the broker has applied the new metadata; poll until it has. */
    private void awaitLeaders(Admin admin, String topic) throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            try {
                TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
                if (description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("Cannot describe topic " + topic + ": " + e.getCause().getMessage(), e);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Topic " + topic + " has no leader after " + READY_TIMEOUT.toSeconds() + " s");
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    private Properties adminProperties() {
        Properties p = new Properties();
        p.putAll(clientSettings(KafkaCredentials.ADMIN));
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) READY_TIMEOUT.toMillis());
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "slipway-devstack-admin");
        return p;
    }
}
