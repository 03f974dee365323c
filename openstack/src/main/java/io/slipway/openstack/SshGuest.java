package io.slipway.openstack;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.signature.BuiltinSignatures;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * An SSH connection (Apache MINA sshd) to a throwaway server. Both keys are made for the one test and handed to the
 * server in its user data, so the client accepts exactly that host key: no trust-on-first-use, no Nova key pair to
 * clean up.
 */
final class SshGuest implements GuestShell, AutoCloseable {

    private final SshClient client;
    private final ClientSession session;
    private final Duration commandTimeout;

    private SshGuest(SshClient client, ClientSession session, Duration commandTimeout) {
        this.client = client;
        this.session = session;
        this.commandTimeout = commandTimeout;
    }

    /** A fresh ECDSA P-256 key pair, a type every OpenSSH server and cloud-init's {@code ssh_keys} accept. */
    static KeyPair newKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make ECDSA keys", e);
        }
    }

    /** The cloud-config that installs {@code hostKey} as the server's only host key and authorises {@code clientKey} for root and the image's default user. */
    static String cloudConfig(KeyPair hostKey, PublicKey clientKey) {
        ByteArrayOutputStream pem = new ByteArrayOutputStream();
        try {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(hostKey, "slipway-test-host", null, pem);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode the host key", e);
        }
        String privateKey = pem.toString(StandardCharsets.US_ASCII).strip().indent(4);
        return "#cloud-config\n"
                + "disable_root: false\n"
                + "ssh_deletekeys: true\n"
                + "ssh_genkeytypes: []\n"
                + "ssh_authorized_keys:\n"
                + "  - " + PublicKeyEntry.toString(clientKey) + " slipway-tester\n"
                + "ssh_keys:\n"
                + "  ecdsa_private: |\n" + privateKey
                + "  ecdsa_public: " + PublicKeyEntry.toString(hostKey.getPublic()) + " slipway-test-host\n";
    }

    static SshGuest connect(String host, int port, String user, KeyPair clientKey, PublicKey hostKey,
                            Duration connectTimeout, Duration commandTimeout) throws IOException {
        SshClient client = SshClient.setUpDefaultClient();
        client.setSignatureFactories(List.of(BuiltinSignatures.nistp256));
        client.setServerKeyVerifier((clientSession, address, serverKey) -> KeyUtils.compareKeys(hostKey, serverKey));
        client.start();
        try {
            ClientSession session = client.connect(user, host, port).verify(connectTimeout).getSession();
            session.addPublicKeyIdentity(clientKey);
            session.auth().verify(connectTimeout);
            return new SshGuest(client, session, commandTimeout);
        } catch (IOException | RuntimeException e) {
            client.stop();
            throw e;
        }
    }

    @Override
    public Result run(String commandLine) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ChannelExec channel = session.createExecChannel(commandLine)) {
            channel.setOut(out);
            channel.setErr(err);
            channel.open().verify(commandTimeout);
            Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), commandTimeout);
            if (events.contains(ClientChannelEvent.TIMEOUT)) {
                return new Result(-1, text(out), text(err) + "\n(timed out after " + commandTimeout + ")");
            }
            Integer exit = channel.getExitStatus();
            return new Result(exit == null ? -1 : exit, text(out), text(err));
        } catch (IOException e) {
            return new Result(-1, text(out), "ssh: " + e.getMessage());
        }
    }

    private static String text(ByteArrayOutputStream stream) {
        return stream.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        client.stop();
    }
}
