package dev.lb.controller.export;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import java.util.zip.GZIPInputStream;

/**
 * An HTTP receiver in the test (JDK's server): answers each request with the status {@code plan} gives for its
 * number (0-based), or never answers (status {@link #HANG}); records every request's method, path, headers and
 * body (gunzipped when sent with Content-Encoding: gzip).
 */
public final class FakeEndpoint implements AutoCloseable {
    public static final int HANG = -1;

    public record Request(String method, String path, Map<String, List<String>> headers, byte[] body, int status) {
        public String header(String name) {
            List<String> v = headers.get(name);
            return v == null || v.isEmpty() ? null : v.get(0);
        }
    }

    private final HttpServer server;
    private final IntUnaryOperator plan;
    private final AtomicInteger count = new AtomicInteger();
    private final CountDownLatch released = new CountDownLatch(1);
    public final List<Request> requests = new CopyOnWriteArrayList<>();

    public FakeEndpoint(IntUnaryOperator plan) throws IOException {
        this.plan = plan;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-endpoint");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    public static FakeEndpoint always(int status) throws IOException {
        return new FakeEndpoint(n -> status);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public int requestCount() {
        return count.get();
    }

    private void handle(HttpExchange x) throws IOException {
        int n = count.getAndIncrement();
        int status = plan.applyAsInt(n);
        byte[] body;
        try (InputStream in = x.getRequestBody()) {
            body = in.readAllBytes();
        }
        if ("gzip".equals(x.getRequestHeaders().getFirst("Content-Encoding"))) {
            try (InputStream z = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
                body = z.readAllBytes();
            }
        }
        requests.add(new Request(x.getRequestMethod(), x.getRequestURI().getPath(), Map.copyOf(x.getRequestHeaders()),
                body, status));
        if (status == HANG) {
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            x.close();
            return;
        }
        byte[] answer = (status / 100 == 2 ? "" : "test says " + status + "\n").getBytes();
        x.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
        if (answer.length > 0) {
            x.getResponseBody().write(answer);
        }
        x.close();
    }

    /** Stops answering new connections (the endpoint goes down); requests already in hand are answered. */
    public void stop() {
        server.stop(0);
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
    }
}
