package io.slipway.builder.adapter;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.slipway.common.policy.Origin;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.RefAdvertiser;
import org.eclipse.jgit.transport.UploadPack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

/**
 * A git server speaking smart HTTP (JGit's {@link UploadPack}, stateless, protocol v0) on 127.0.0.1, that records
 * every request with its {@code Authorization} header and lets a test answer differently first (a 401 challenge, a
 * redirect, a response that never ends).
 */
final class GitHttpServer implements AutoCloseable {

    /** One request as the server saw it. */
    record Seen(String method, String host, String path, String authorization) {
    }

    /** Answers (and closes) a request instead of the git server; returns false to let the git server answer. */
    @FunctionalInterface
    interface Answer {
        boolean answer(HttpExchange exchange) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Repository repository;
    private volatile Answer first = exchange -> false;

    private GitHttpServer(Repository repository) throws IOException {
        this.repository = repository;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Serves the repository whose git directory is {@code gitDir} under {@code /repo.git}. */
    static GitHttpServer serving(Path gitDir) throws IOException {
        return new GitHttpServer(new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setMustExist(true).build());
    }

    /** A server with no repository: only {@link #answerFirst} answers. */
    static GitHttpServer empty() throws IOException {
        return new GitHttpServer(null);
    }

    GitHttpServer answerFirst(Answer answer) {
        this.first = answer;
        return this;
    }

    /** {@code http://127.0.0.1:<port>/repo.git}. */
    String cloneUrl() {
        return "http://127.0.0.1:" + port() + "/repo.git";
    }

    int port() {
        return server.getAddress().getPort();
    }

    Origin origin() {
        return Origin.parse("http://127.0.0.1:" + port());
    }

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    /** A 401 with a Basic challenge, as git servers ask for credentials. */
    static void challenge(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"git\"");
        exchange.sendResponseHeaders(401, -1);
        exchange.close();
    }

    /** A redirect of a git request to the same path and query under {@code base}. */
    static void redirect(HttpExchange exchange, String base) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String query = exchange.getRequestURI().getRawQuery();
        exchange.getResponseHeaders().set("Location", base + path.substring(path.indexOf("/info/refs"))
                + (query == null ? "" : "?" + query));
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestHeaders().getFirst("Host"),
                exchange.getRequestURI().getPath(), exchange.getRequestHeaders().getFirst("Authorization")));
        if (first.answer(exchange)) {
            return;
        }
        String path = exchange.getRequestURI().getPath();
        try {
            if (repository != null && path.startsWith("/repo.git/") && path.endsWith("/info/refs")) {
                advertise(exchange);
            } else if (repository != null && path.startsWith("/repo.git/") && path.endsWith("/git-upload-pack")) {
                uploadPack(exchange);
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
        } finally {
            exchange.close();
        }
    }

    private void advertise(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/x-git-upload-pack-advertisement");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            PacketLineOut packets = new PacketLineOut(out);
            packets.writeString("# service=git-upload-pack\n");
            packets.end();
            UploadPack upload = new UploadPack(repository);
            upload.setBiDirectionalPipe(false);
            upload.sendAdvertisedRefs(new RefAdvertiser.PacketLineOutRefAdvertiser(packets));
        }
    }

    private void uploadPack(HttpExchange exchange) throws IOException {
        InputStream in = exchange.getRequestBody();
        if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
            in = new GZIPInputStream(in);
        }
        exchange.getResponseHeaders().set("Content-Type", "application/x-git-upload-pack-result");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            UploadPack upload = new UploadPack(repository);
            upload.setBiDirectionalPipe(false);
            upload.upload(in, out, null);
        }
    }

    /** The start of a smart-HTTP advertisement whose first packet then never ends. */
    static byte[] endlessAdvertisementStart() {
        return "001e# service=git-upload-pack\n0000ffff".getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        if (repository != null) {
            repository.close();
        }
    }
}
