package io.slipway.devstack.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A POST over a plain socket that writes a large body while it reads the answer, so a test sees a server answer before
 * the body is read, and how much of the body the server took before it closed the connection.
 */
public final class RawUpload {

    private static final int CHUNK = 64 * 1024;

    /** The answer's status line and body, and how many body bytes went out before the connection closed. */
    public record Result(String statusLine, String body, long bytesSent) {
    }

    private RawUpload() {
    }

    /**
     * Sends {@code bodyBytes} bytes of JSON-ish filler to {@code baseUrl + path} with the given framing header
     * ({@code Content-Length: n} or {@code Transfer-Encoding: chunked}).
     */
    public static Result post(String baseUrl, String path, String framingHeader, long bodyBytes) throws Exception {
        URI uri = URI.create(baseUrl);
        boolean chunked = framingHeader.toLowerCase(Locale.ROOT).startsWith("transfer-encoding");
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + "\r\n"
                    + "Content-Type: application/vnd.schemaregistry.v1+json\r\n" + framingHeader + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            AtomicLong sent = new AtomicLong();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> write(out, bodyBytes, chunked, sent));
            byte[] answer = readAll(socket.getInputStream());
            writer.get(60, TimeUnit.SECONDS);
            String text = new String(answer, StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n");
            int bodyStart = text.indexOf("\r\n\r\n");
            return new Result(end < 0 ? text : text.substring(0, end), bodyStart < 0 ? "" : text.substring(bodyStart + 4),
                    sent.get());
        }
    }

    private static void write(OutputStream out, long total, boolean chunked, AtomicLong sent) {
        byte[] filler = new byte[CHUNK];
        Arrays.fill(filler, (byte) ' ');
        try {
            while (sent.get() < total) {
                int n = (int) Math.min(CHUNK, total - sent.get());
                if (chunked) {
                    out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                }
                out.write(filler, 0, n);
                if (chunked) {
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                sent.addAndGet(n);
            }
            if (chunked) {
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
        } catch (IOException closedByTheServer) {
            // The server answered and closed the connection: what was sent until then is the measure.
        }
    }

    /** Reads until the server closes the connection or a reset ends it. */
    private static byte[] readAll(InputStream in) {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                answer.write(buffer, 0, n);
            }
        } catch (IOException resetAfterTheAnswer) {
            // A reset may follow the answer when the server closes with unread bytes; the answer is already here.
        }
        return answer.toByteArray();
    }
}
