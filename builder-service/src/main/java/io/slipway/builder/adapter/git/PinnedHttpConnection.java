package io.slipway.builder.adapter.git;

import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.Timeout;
import org.eclipse.jgit.transport.http.HttpConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URL;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One HTTP exchange of a JGit fetch, sent by the {@link FetchSession}'s client (pinned addresses, deadline). An
 * {@code Authorization} header JGit sets is dropped unless the URL is on the credential host: JGit keeps the
 * authentication method of the first host after a redirect, this is where it stops. Redirects are never followed
 * here; JGit follows them itself, through a new connection the session checks again.
 */
final class PinnedHttpConnection implements HttpConnection {

    private static final Logger LOG = LoggerFactory.getLogger(PinnedHttpConnection.class);
    private static final Set<String> MANAGED_BY_CLIENT = Set.of("content-length", "transfer-encoding", "host",
            "connection");
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final FetchSession session;
    private final URL url;
    private final URI uri;
    private final List<String[]> headers = new ArrayList<>();
    private String method = "GET";
    private int readTimeoutMillis;
    private ByteArrayOutputStream body;
    private ClassicHttpResponse response;
    private InputStream content;

    PinnedHttpConnection(FetchSession session, URL url, URI uri) {
        this.session = session;
        this.url = url;
        this.uri = uri;
        this.readTimeoutMillis = (int) session.readTimeout().toMillis();
    }

    @Override
    public void setRequestProperty(String key, String value) {
        if ("Authorization".equalsIgnoreCase(key) && !session.mayAuthorize(uri)) {
            LOG.debug("Not sending credentials to {}: not the git credential host", JGitSources.display(uri.toString()));
            return;
        }
        headers.removeIf(header -> header[0].equalsIgnoreCase(key));
        headers.add(new String[]{key, value});
    }

    @Override
    public void setRequestMethod(String method) {
        this.method = method;
    }

    @Override
    public String getRequestMethod() {
        return method;
    }

    @Override
    public void setReadTimeout(int timeout) {
        if (timeout > 0) {
            readTimeoutMillis = timeout;
        }
    }

    @Override
    public void setConnectTimeout(int timeout) {
        // The session's connection manager applies the fetch's timeout to every connect.
    }

    @Override
    public void setUseCaches(boolean usecaches) {
        // Nothing is cached.
    }

    @Override
    public void setInstanceFollowRedirects(boolean followRedirects) {
        // Never followed here: JGit follows a redirect through a new connection, which the policy checks.
    }

    @Override
    public void setDoOutput(boolean dooutput) {
        if (dooutput && body == null) {
            body = new ByteArrayOutputStream();
        }
    }

    @Override
    public void setFixedLengthStreamingMode(int contentLength) {
        // The request body is buffered: JGit's requests are small (wants and haves).
    }

    @Override
    public void setChunkedStreamingMode(int chunklen) {
        // As above.
    }

    @Override
    public OutputStream getOutputStream() {
        setDoOutput(true);
        return body;
    }

    @Override
    public void connect() throws IOException {
        if (response != null) {
            return;
        }
        HttpUriRequestBase request = new HttpUriRequestBase(method, uri);
        for (String[] header : headers) {
            if (!MANAGED_BY_CLIENT.contains(header[0].toLowerCase(java.util.Locale.ROOT))) {
                request.addHeader(header[0], header[1]);
            }
        }
        if (body != null) {
            request.setEntity(new ByteArrayEntity(body.toByteArray(), null));
        }
        request.setConfig(RequestConfig.custom().setResponseTimeout(Timeout.ofMilliseconds(readTimeoutMillis))
                .setConnectionRequestTimeout(Timeout.ofMilliseconds(readTimeoutMillis)).build());
        response = session.execute(request, http -> http.executeOpen(null, request, null));
        HttpEntity entity = response.getEntity();
        if (entity == null) {
            content = InputStream.nullInputStream();
        } else if (response.getCode() / 100 != 2) {
            // Nobody streams an error or a redirect: keep what explains it and free the connection now.
            try (InputStream in = entity.getContent()) {
                content = new ByteArrayInputStream(in.readNBytes(MAX_ERROR_BODY));
            } finally {
                response.close();
            }
        } else {
            content = session.guard(entity.getContent());
        }
    }

    @Override
    public int getResponseCode() throws IOException {
        connect();
        return response.getCode();
    }

    @Override
    public String getResponseMessage() throws IOException {
        connect();
        return response.getReasonPhrase();
    }

    @Override
    public URL getURL() {
        return url;
    }

    @Override
    public Map<String, List<String>> getHeaderFields() {
        Map<String, List<String>> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (response != null) {
            for (Header header : response.getHeaders()) {
                fields.computeIfAbsent(header.getName(), name -> new ArrayList<>()).add(header.getValue());
            }
        }
        return Collections.unmodifiableMap(fields);
    }

    @Override
    public List<String> getHeaderFields(String name) {
        return getHeaderFields().getOrDefault(name, List.of());
    }

    @Override
    public String getHeaderField(String name) {
        Header header = response == null ? null : response.getFirstHeader(name);
        return header == null ? null : header.getValue();
    }

    @Override
    public String getContentType() {
        return getHeaderField("Content-Type");
    }

    @Override
    public int getContentLength() {
        String length = getHeaderField("Content-Length");
        try {
            return length == null ? -1 : Integer.parseInt(length.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public InputStream getInputStream() throws IOException {
        connect();
        return content;
    }

    @Override
    public boolean usingProxy() {
        return false;
    }

    @Override
    public void configure(KeyManager[] km, TrustManager[] tm, SecureRandom random) throws KeyManagementException {
        throw new KeyManagementException("TLS verification of git servers cannot be changed (http.sslVerify)");
    }

    @Override
    public void setHostnameVerifier(HostnameVerifier hostnameverifier) throws KeyManagementException {
        throw new KeyManagementException("TLS host name verification of git servers cannot be turned off");
    }
}
