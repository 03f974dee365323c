package io.slipway.devstack;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The SCRAM principals of a secured dev stack and their passwords, kept as one Kafka client properties file per
 * principal ({@code kafka-<principal>.properties}: {@code security.protocol}, {@code sasl.mechanism},
 * {@code sasl.jaas.config}) in a directory only its owner may open. Files are created once, with fresh random
 * passwords, and read back on every later start, so clients configured from them keep working. In a container the
 * passwords come from the environment instead ({@link #fromEnvironment}).
 */
public final class KafkaCredentials {

    /** The broker's super user: the dev stack itself, and tools that create topics or replay dead letters. */
    public static final String ADMIN = "admin";
    /** Reads every pipeline topic, the failures and the dead-letter topics; nothing else. */
    public static final String OPS = "ops";
    /** The schema registry: keeps its log in {@code _schemas} and touches nothing else. */
    public static final String SCHEMA_REGISTRY = "schema-registry";
    /** Every principal the dev stack knows, one per service, the schema registry, then ops and admin. */
    public static final List<String> PRINCIPALS = List.of("trigger", "builder", "tester", "deliverer", "notifier",
            "deployer", "dashboard", SCHEMA_REGISTRY, OPS, ADMIN);
    /** Followed by the principal in upper case ({@code -} as {@code _}): where {@link #fromEnvironment} finds a password. */
    public static final String PASSWORD_ENV_PREFIX = "SLIPWAY_KAFKA_PASSWORD_";
    /** The shortest password {@link #fromEnvironment} accepts. */
    public static final int MIN_PASSWORD_LENGTH = 16;
    public static final String MECHANISM = "SCRAM-SHA-512";
    public static final String PROTOCOL = "SASL_PLAINTEXT";

    /** Printable ASCII without quote or backslash, so a password fits a JAAS option as it is. */
    private static final Pattern PASSWORD = Pattern.compile("[\\x21-\\x7E&&[^\"\\\\]]+");
    private static final Pattern JAAS_USER = Pattern.compile("username=\"([^\"]*)\"\\s+password=\"([^\"]*)\"");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path directory;
    private final String source;
    private final Map<String, String> passwords;

    private KafkaCredentials(Path directory, String source, Map<String, String> passwords) {
        this.directory = directory;
        this.source = source;
        this.passwords = passwords;
    }

    /**
     * The password of every principal from {@code SLIPWAY_KAFKA_PASSWORD_<PRINCIPAL>} as {@code environment} names
     * them (a container's way: nothing written to disk).
     *
     * @throws IllegalArgumentException naming every variable that is missing, shorter than
     *                                  {@value #MIN_PASSWORD_LENGTH} characters or holds a quote, backslash or space
     */
    public static KafkaCredentials fromEnvironment(Function<String, String> environment) {
        Map<String, String> passwords = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String principal : PRINCIPALS) {
            String name = environmentVariable(principal);
            String password = environment.apply(name);
            String problem = passwordProblem(name, password);
            if (problem == null) {
                passwords.put(principal, password);
            } else {
                problems.add(problem);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Kafka passwords: " + String.join("; ", problems) + ".");
        }
        return new KafkaCredentials(null, "the environment", Map.copyOf(passwords));
    }

    /**
     * What is wrong with {@code password} read from {@code variable}, or null when it will do: set, at least
     * {@value #MIN_PASSWORD_LENGTH} characters, printable ASCII without quote or backslash.
     */
    public static String passwordProblem(String variable, String password) {
        if (password == null || password.isEmpty()) {
            return variable + " is not set";
        }
        if (password.length() < MIN_PASSWORD_LENGTH) {
            return variable + " is shorter than " + MIN_PASSWORD_LENGTH + " characters";
        }
        if (!PASSWORD.matcher(password).matches()) {
            return variable + " holds a quote, a backslash, a space or a non-ASCII character";
        }
        return null;
    }

    /** {@code SLIPWAY_KAFKA_PASSWORD_<PRINCIPAL>}, e.g. {@code SLIPWAY_KAFKA_PASSWORD_SCHEMA_REGISTRY}. */
    public static String environmentVariable(String principal) {
        return PASSWORD_ENV_PREFIX + principal.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /**
     * Reads the credentials of every principal from {@code directory}, first writing the file of any principal that
     * has none (directory mode 0700, files 0600).
     *
     * @throws IllegalArgumentException when a file exists but names no user and password, or another user
     */
    public static KafkaCredentials loadOrCreate(Path directory) {
        Path dir = directory.toAbsolutePath();
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Map<String, String> passwords = new LinkedHashMap<>();
            for (String principal : PRINCIPALS) {
                Path file = fileOf(dir, principal);
                if (!Files.exists(file)) {
                    write(file, principal, HexFormat.of().formatHex(randomBytes()));
                }
                passwords.put(principal, passwordIn(file, principal));
            }
            return new KafkaCredentials(dir, dir.toString(), Map.copyOf(passwords));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep the Kafka credentials in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** {@code kafka-<principal>.properties} in {@code directory}. */
    public static Path fileOf(Path directory, String principal) {
        return directory.resolve("kafka-" + principal + ".properties");
    }

    /** The {@code sasl.jaas.config} value that logs in as {@code user} with SCRAM. */
    public static String jaasConfig(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    /** Where the files are; null when the passwords came from the environment. */
    public Path directory() {
        return directory;
    }

    /** Where the passwords came from, for messages: the directory or "the environment". */
    public String source() {
        return source;
    }

    /** The password of one of {@link #PRINCIPALS}. */
    public String password(String principal) {
        String password = passwords.get(principal);
        if (password == null) {
            throw new IllegalArgumentException("no Kafka principal '" + principal + "'; known: " + PRINCIPALS);
        }
        return password;
    }

    /** The security settings a Kafka client needs to log in as {@code principal} (no bootstrap servers). */
    public Map<String, Object> clientSettings(String principal) {
        return Map.of(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, PROTOCOL,
                SaslConfigs.SASL_MECHANISM, MECHANISM,
                SaslConfigs.SASL_JAAS_CONFIG, jaasConfig(principal, password(principal)));
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static void write(Path file, String principal, String password) throws IOException {
        String text = "# Kafka client settings of the dev stack's principal '" + principal + "'. Keep this file private.\n"
                + CommonClientConfigs.SECURITY_PROTOCOL_CONFIG + "=" + PROTOCOL + "\n"
                + SaslConfigs.SASL_MECHANISM + "=" + MECHANISM + "\n"
                + SaslConfigs.SASL_JAAS_CONFIG + "=" + jaasConfig(principal, password) + "\n";
        Path temporary = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(temporary);
        Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temporary, text);
        try {
            Files.move(temporary, file);
        } catch (FileAlreadyExistsException raced) {
            Files.deleteIfExists(temporary);
        }
    }

    private static String passwordIn(Path file, String principal) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        Matcher user = JAAS_USER.matcher(properties.getProperty(SaslConfigs.SASL_JAAS_CONFIG, ""));
        if (!user.find() || !user.group(1).equals(principal) || user.group(2).isEmpty()) {
            throw new IllegalArgumentException(file + " must log in as '" + principal + "' with a password ("
                    + SaslConfigs.SASL_JAAS_CONFIG + "=... username=\"" + principal + "\" password=\"...\";); "
                    + "delete it and start again to get a new one");
        }
        return user.group(2);
    }
}
