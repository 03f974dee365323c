package io.slipway.devstack.sink;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for Slack and GitHub that {@code ./slipway demo} points notifier-service at, since neither can be reached
 * from a machine without internet: it answers like the real APIs (Slack's {@code ok}, GitHub's 201 issue, comment,
 * status, deployment and deployment status bodies, the account {@code GET /user} names, an empty list of open issues
 * and of a pull request's comments, since it remembers none, a comment updated in place) and prints every notification
 * it receives, so a person sees what would have been sent.
 */
public final class NotificationSink {

    private static final Pattern ISSUES = Pattern.compile("/github/repos/[^/]+/[^/]+/issues");
    private static final Pattern ISSUE = Pattern.compile("/github/repos/[^/]+/[^/]+/issues/(\\d+)");
    private static final Pattern COMMENTS = Pattern.compile("/github/repos/[^/]+/[^/]+/issues/(\\d+)/comments");
    private static final Pattern COMMENT = Pattern.compile("/github/repos/[^/]+/[^/]+/issues/comments/(\\d+)");
    private static final Pattern STATUSES = Pattern.compile("/github/repos/[^/]+/[^/]+/statuses/[0-9a-f]+");
    private static final Pattern DEPLOYMENTS = Pattern.compile("/github/repos/[^/]+/[^/]+/deployments(/\\d+/statuses)?");

    /** Sees every request before it is answered (the pipeline benchmark times notifications with it). */
    @FunctionalInterface
    public interface Observer {
        void request(String method, String path, String body);
    }

    private final AtomicInteger ids = new AtomicInteger();
    private final PrintStream out;
    private final Observer observer;

    /** A sink that prints every notification to {@code out}; serve it with {@link #handle}. */
    public NotificationSink(PrintStream out) {
        this(out, (method, path, body) -> { });
    }

    /** A sink that prints every notification to {@code out} and shows it to {@code observer}. */
    public NotificationSink(PrintStream out, Observer observer) {
        this.out = out;
        this.observer = observer;
    }

    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8099;
        // Answer without waiting for the client's delayed ACK (the JDK server writes headers and body apart).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        NotificationSink sink = new NotificationSink(System.out);
        server.createContext("/", sink::handle);
        server.start();
        System.out.println("Notification sink listening on http://127.0.0.1:" + port + " (/slack/…, /github/…)");
    }

    /** Prints the request and answers it as Slack or GitHub would (404 for anything else). */
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        synchronized (out) {
            out.println("── " + exchange.getRequestMethod() + " " + path);
            out.println(body);
            out.flush();
        }
        observer.request(exchange.getRequestMethod(), path, body);
        int id = ids.incrementAndGet();
        Matcher issue = ISSUE.matcher(path);
        Matcher comments = COMMENTS.matcher(path);
        if (path.startsWith("/slack/")) {
            answer(exchange, 200, "text/plain", "ok");
        } else if (path.equals("/github/user") && exchange.getRequestMethod().equals("GET")) {
            answer(exchange, 200, "application/json", "{\"login\":\"slipway-demo\",\"id\":1,\"type\":\"User\"}");
        } else if (ISSUES.matcher(path).matches() && exchange.getRequestMethod().equals("GET")) {
            answer(exchange, 200, "application/json", "[]");
        } else if (ISSUES.matcher(path).matches() && exchange.getRequestMethod().equals("POST")) {
            answer(exchange, 201, "application/json", "{\"id\":" + id + ",\"number\":" + id
                    + ",\"state\":\"open\",\"html_url\":\"http://127.0.0.1/issues/" + id + "\"}");
        } else if (comments.matches() && exchange.getRequestMethod().equals("GET")) {
            answer(exchange, 200, "application/json", "[]");
        } else if (COMMENT.matcher(path).matches()) {
            answer(exchange, 200, "application/json", "{\"id\":" + path.substring(path.lastIndexOf('/') + 1)
                    + ",\"html_url\":\"http://127.0.0.1/issues#issuecomment-" + path.substring(path.lastIndexOf('/') + 1)
                    + "\"}");
        } else if (comments.matches()) {
            answer(exchange, 201, "application/json", "{\"id\":" + id + ",\"html_url\":\"http://127.0.0.1/issues/"
                    + comments.group(1) + "#issuecomment-" + id + "\"}");
        } else if (issue.matches()) {
            answer(exchange, 200, "application/json", "{\"id\":" + issue.group(1) + ",\"number\":" + issue.group(1)
                    + ",\"state\":\"closed\",\"html_url\":\"http://127.0.0.1/issues/" + issue.group(1) + "\"}");
        } else if (STATUSES.matcher(path).matches()) {
            answer(exchange, 201, "application/json", "{\"id\":" + id + ",\"state\":\"success\"}");
        } else if (DEPLOYMENTS.matcher(path).matches() && exchange.getRequestMethod().equals("POST")) {
            answer(exchange, 201, "application/json", "{\"id\":" + id + "}");
        } else {
            answer(exchange, 404, "application/json", "{\"message\":\"Not Found\"}");
        }
    }

    private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
