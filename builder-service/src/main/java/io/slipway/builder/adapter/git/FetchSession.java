package io.slipway.builder.adapter.git;

import io.slipway.common.policy.CloneUrlPolicy;
import io.slipway.common.policy.Origin;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.eclipse.jgit.transport.http.HttpConnection;
import org.eclipse.jgit.transport.http.HttpConnectionFactory;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP side of one fetch. Every connection JGit opens is checked against the clone URL policy (the first URL and
 * every redirect), connects to the addresses that check resolved (pinned: DNS is not asked again, so a name cannot
 * answer one address to the check and another to the connection), carries an {@code Authorization} header only to the
 * credential host, and is cut when the fetch's deadline passes, however slowly the server keeps sending.
 */
final class FetchSession implements AutoCloseable {

    /** JGit's connection factory is global; it serves the fetch running on the calling thread. */
    static final HttpConnectionFactory CONNECTIONS = new HttpConnectionFactory() {
        @Override
        public HttpConnection create(URL url) throws IOException {
            return create(url, Proxy.NO_PROXY);
        }

        @Override
        public HttpConnection create(URL url, Proxy proxy) throws IOException {
            FetchSession session = CURRENT.get();
            if (session == null) {
                throw new IOException("git over HTTP is fetched through JGitSources only; refused " + url);
            }
            return session.connect(url);
        }
    };

    private static final ThreadLocal<FetchSession> CURRENT = new ThreadLocal<>();
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "git-fetch-deadline");
        thread.setDaemon(true);
        return thread;
    });

    private final CloneUrlPolicy policy;
    private final CloneUrlPolicy.Resolver resolver;
    private final Origin credentialHost;
    private final Duration readTimeout;
    private final Duration deadline;
    private final long deadlineNanos;
    private final Map<String, List<InetAddress>> pins = new ConcurrentHashMap<>();
    private final Set<Cancellable> inFlight = ConcurrentHashMap.newKeySet();
    private final CloseableHttpClient http;
    private final ScheduledFuture<?> watchdog;
    private volatile boolean expired;
    private volatile String refusal;

    private FetchSession(CloneUrlPolicy policy, CloneUrlPolicy.Resolver resolver, Origin credentialHost,
                         Duration readTimeout, Duration deadline) {
        this.policy = policy;
        this.resolver = resolver;
        this.credentialHost = credentialHost;
        this.readTimeout = readTimeout;
        this.deadline = deadline;
        this.deadlineNanos = System.nanoTime() + deadline.toNanos();
        Timeout timeout = Timeout.of(readTimeout);
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(new PinnedResolver())
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(timeout)
                                .setSocketTimeout(timeout).build())
                        .setMaxConnPerRoute(20).setMaxConnTotal(40)
                        .build())
                // JGit follows redirects itself (so each hop comes back here), handles gzip, auth and retries.
                .disableRedirectHandling().disableContentCompression().disableAutomaticRetries()
                .disableCookieManagement().disableAuthCaching()
                .build();
        this.watchdog = WATCHDOG.schedule(this::expire, deadline.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Starts the session of a fetch on the calling thread; {@code checked} is the policy's answer for the clone URL,
     * whose addresses the first connection uses. {@code credentialHost} may be null (credentials go nowhere).
     */
    static FetchSession open(CloneUrlPolicy policy, CloneUrlPolicy.Resolver resolver, CloneUrlPolicy.Checked checked,
                             Origin credentialHost, Duration readTimeout, Duration deadline) {
        FetchSession session = new FetchSession(policy, resolver, credentialHost, readTimeout, deadline);
        if (checked.host() != null && !checked.addresses().isEmpty()) {
            session.pins.put(checked.host(), checked.addresses());
        }
        CURRENT.set(session);
        return session;
    }

    /** Cancels JGit's work between objects once the deadline has passed (for transports other than HTTP too). */
    ProgressMonitor monitor() {
        return new ProgressMonitor() {
            @Override
            public void start(int totalTasks) {
                // Progress is not reported.
            }

            @Override
            public void beginTask(String title, int totalWork) {
                // As above.
            }

            @Override
            public void update(int completed) {
                // As above.
            }

            @Override
            public void endTask() {
                // As above.
            }

            @Override
            public boolean isCancelled() {
                return expired();
            }

            @Override
            public void showDuration(boolean enabled) {
                // As above.
            }
        };
    }

    boolean expired() {
        return expired || System.nanoTime() - deadlineNanos > 0;
    }

    Duration deadline() {
        return deadline;
    }

    /** Why the policy refused a connection of this fetch (a redirect, typically), or empty. */
    Optional<String> refusal() {
        return Optional.ofNullable(refusal);
    }

    boolean mayAuthorize(URI uri) {
        return credentialHost != null && credentialHost.matches(uri);
    }

    Duration readTimeout() {
        return readTimeout;
    }

    private HttpConnection connect(URL url) throws IOException {
        if (expired()) {
            throw new DeadlineExceeded(deadline);
        }
        URI uri;
        try {
            uri = url.toURI();
        } catch (URISyntaxException e) {
            throw refuse(url + " is not a valid URL");
        }
        String shown = JGitSources.display(uri.toString());
        Optional<String> refused = policy.refusal(uri.toString());
        if (refused.isEmpty() && uri.getHost() != null && !pins.containsKey(CloneUrlPolicy.hostKey(uri.getHost()))) {
            CloneUrlPolicy.Checked checked = policy.check(uri.toString(), resolver);
            refused = checked.refusal();
            if (refused.isEmpty()) {
                pins.put(checked.host(), checked.addresses());
            }
        }
        if (refused.isPresent()) {
            throw refuse(shown + " refused: " + refused.get());
        }
        return new PinnedHttpConnection(this, url, uri);
    }

    private IOException refuse(String reason) {
        refusal = reason;
        return new IOException(reason);
    }

    /** Sends a request; cancelled (its connection closed) when the deadline passes while it runs. */
    <T> T execute(Cancellable request, Call<T> call) throws IOException {
        if (expired()) {
            throw new DeadlineExceeded(deadline);
        }
        inFlight.add(request);
        try {
            return call.run(http);
        } catch (IOException e) {
            throw expired() ? new DeadlineExceeded(deadline) : e;
        }
    }

    /** A request sent with the session's client. */
    @FunctionalInterface
    interface Call<T> {
        T run(CloseableHttpClient http) throws IOException;
    }

    /** The body of a response, read only while the deadline has not passed. */
    InputStream guard(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                check();
                return super.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                check();
                return super.read(b, off, len);
            }

            private void check() throws IOException {
                if (expired()) {
                    throw new DeadlineExceeded(deadline);
                }
            }
        };
    }

    private void expire() {
        expired = true;
        inFlight.forEach(Cancellable::cancel);
    }

    @Override
    public void close() {
        CURRENT.remove();
        watchdog.cancel(false);
        http.close(CloseMode.IMMEDIATE);
    }

    /** Answers the connection manager with the addresses the policy checked, and with nothing else. */
    private final class PinnedResolver implements DnsResolver {
        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            List<InetAddress> pinned = pins.get(CloneUrlPolicy.hostKey(host));
            if (pinned == null) {
                throw new UnknownHostException(host + " was not checked by the clone URL policy");
            }
            return pinned.toArray(InetAddress[]::new);
        }

        @Override
        public String resolveCanonicalHostname(String host) {
            return host;
        }
    }

    /** The fetch ran past its deadline. */
    static final class DeadlineExceeded extends InterruptedIOException {
        DeadlineExceeded(Duration deadline) {
            super("the fetch did not finish within " + deadline);
        }
    }
}
