package io.slipway.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The guest's side of SSH in tests: an Apache MINA sshd on 127.0.0.1 that takes its host key and the authorised key
 * from a server's cloud-config user data, as cloud-init's ssh module would, and runs commands with the local
 * {@code /bin/sh}. The API double reports 127.0.0.1 as the server's address.
 */
final class GuestSshd implements AutoCloseable {

    final List<String> commands = new CopyOnWriteArrayList<>();
    final List<String> logins = new CopyOnWriteArrayList<>();
    private final AtomicReference<KeyPair> hostKey = new AtomicReference<>();
    private final AtomicReference<PublicKey> authorizedKey = new AtomicReference<>();
    private final SshServer sshd = SshServer.setUpDefaultServer();

    GuestSshd() throws IOException {
        sshd.setHost("127.0.0.1");
        sshd.setPort(0);
        sshd.setKeyPairProvider(new KeyPairProvider() {
            @Override
            public Iterable<KeyPair> loadKeys(SessionContext session) {
                return hostKey.get() == null ? List.of() : List.of(hostKey.get());
            }
        });
        sshd.setPublickeyAuthenticator((user, key, session) -> {
            logins.add(user);
            return authorizedKey.get() != null && KeyUtils.compareKeys(authorizedKey.get(), key);
        });
        sshd.setCommandFactory((channel, command) -> new LocalCommand(command));
        sshd.start();
    }

    int port() {
        return sshd.getPort();
    }

    /** Applies {@code ssh_keys.ecdsa_private} and {@code ssh_authorized_keys} of a {@code #cloud-config}. */
    void provision(String userData) {
        try {
            JsonNode config = new YAMLMapper().readTree(userData);
            byte[] privateKey = config.path("ssh_keys").path("ecdsa_private").asText().getBytes(StandardCharsets.US_ASCII);
            hostKey.set(SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName("host"),
                    new ByteArrayInputStream(privateKey), null).iterator().next());
            authorizedKey.set(PublicKeyEntry.parsePublicKeyEntry(config.path("ssh_authorized_keys").get(0).asText())
                    .resolvePublicKey(null, Map.of(), PublicKeyEntryResolver.FAILING));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Presents another host key than the one in the user data, as a man in the middle would. */
    void impersonate() {
        hostKey.set(SshGuest.newKey());
    }

    @Override
    public void close() throws IOException {
        sshd.stop(true);
    }

    private final class LocalCommand implements Command {
        private final String command;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;

        LocalCommand(String command) {
            this.command = command;
        }

        @Override
        public void setInputStream(InputStream in) {
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback exit) {
            this.exit = exit;
        }

        @Override
        public void start(ChannelSession channel, Environment env) {
            commands.add(command);
            CompletableFuture.runAsync(() -> {
                try {
                    Process process = new ProcessBuilder("/bin/sh", "-c", command).start();
                    process.getOutputStream().close();
                    CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
                    byte[] stdout = readAll(process.getInputStream());
                    int code = process.waitFor();
                    out.write(stdout);
                    out.flush();
                    err.write(stderr.join());
                    err.flush();
                    exit.onExit(code);
                } catch (IOException e) {
                    exit.onExit(255, e.toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    exit.onExit(255, "interrupted");
                }
            });
        }

        @Override
        public void destroy(ChannelSession channel) {
        }

        private static byte[] readAll(InputStream in) {
            try (in) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
