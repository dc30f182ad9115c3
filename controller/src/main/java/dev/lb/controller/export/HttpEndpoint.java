package dev.lb.controller.export;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * One HTTP endpoint an exporter writes to: a request with a body, answered within a time limit, its status made a
 * {@link Delivery}. 2xx is sent; 5xx, 429, a refused connection or no answer within the time-out are retried; any
 * other status drops the batch (the same request would be refused again).
 *
 * <p>Blocking {@link HttpURLConnection} on the exporter's own thread rather than the JDK's asynchronous client: each
 * exporter sends one request at a time anyway, and the asynchronous client's selector thread, body copies and
 * futures cost the controller about 0.6 CPU s and more compiled code in a 60 s run of 10 targets
 * (bench/export-cost.sh). The body is sent with a fixed length, which also keeps the JDK from silently sending a POST
 * a second time when a kept-alive connection turns out closed ({@code sun.net.http.retryPost} does not apply to a
 * streamed body): a retry is this class's caller's decision, counted. No proxy, as before. A request that never ends
 * is not interrupted: the export queue stops waiting for it at the end of the flush time and counts its batch.
 */
final class HttpEndpoint {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /** How much of an error answer is read for its first line; the rest is skipped so the connection can be kept. */
    private static final int ERROR_BODY_BYTES = 4096;

    private final Duration requestTimeout;

    HttpEndpoint(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    Delivery send(String method, URI url, byte[] body, Map<String, String> headers) {
        return send(method, url, body, body.length, headers);
    }

    /** The first {@code length} bytes of {@code body} as the request's body (none for a GET). */
    Delivery send(String method, URI url, byte[] body, int length, Map<String, String> headers) {
        HttpURLConnection c = null;
        try {
            c = (HttpURLConnection) url.toURL().openConnection(Proxy.NO_PROXY);
            c.setRequestMethod(method);
            c.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
            c.setReadTimeout((int) requestTimeout.toMillis());
            c.setUseCaches(false);
            c.setInstanceFollowRedirects(false);
            headers.forEach(c::setRequestProperty);
            if (!method.equals("GET")) {
                c.setDoOutput(true);
                c.setFixedLengthStreamingMode(length);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body, 0, length);
                }
            }
            int status = c.getResponseCode();
            if (status / 100 == 2) {
                drain(c.getInputStream());
                return Delivery.SENT;
            }
            String what = method + " " + url + " answered " + status + firstLine(c.getErrorStream());
            if (status / 100 == 5 || status == 429) {
                return Delivery.retry(what);
            }
            return Delivery.drop("refused (" + status + ")", what);
        } catch (SocketTimeoutException e) {
            disconnect(c);
            return Delivery.retry(method + " " + url + ": no answer within " + requestTimeout.toMillis() + " ms");
        } catch (IOException | IllegalArgumentException e) {
            disconnect(c);
            return Delivery.retry(method + " " + url + ": " + (e.getMessage() != null ? e.getMessage()
                    : e.getClass().getSimpleName()));
        }
    }

    /** Reads an answer to its end (and closes it), which hands the connection back for the next request. */
    private static void drain(InputStream in) throws IOException {
        if (in == null) {
            return;
        }
        try (in) {
            byte[] skip = new byte[1024];
            while (in.read(skip) >= 0) {
                // an answer to a push is a few bytes at most; it is not looked at
            }
        }
    }

    private static String firstLine(InputStream error) throws IOException {
        if (error == null) {
            return "";
        }
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        try (error) {
            byte[] b = new byte[1024];
            int r;
            while (text.size() < ERROR_BODY_BYTES && (r = error.read(b)) >= 0) {
                text.write(b, 0, r);
            }
        }
        String body = text.toString(StandardCharsets.UTF_8);
        if (body.isBlank()) {
            return "";
        }
        String line = body.strip().lines().findFirst().orElse("");
        return ": " + (line.length() > 200 ? line.substring(0, 200) + "..." : line);
    }

    private static void disconnect(HttpURLConnection c) {
        if (c != null) {
            c.disconnect();
        }
    }
}
