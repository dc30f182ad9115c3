package dev.lb.controller.export;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;

/**
 * One HTTP endpoint an exporter writes to: a request with a body, answered within a time limit, its status made a
 * {@link Delivery}. 2xx is sent; 5xx, 429, a refused connection or no answer within the time-out are retried; any
 * other status drops the batch (the same request would be refused again).
 */
final class HttpEndpoint {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient client;
    private final Duration requestTimeout;

    HttpEndpoint(Duration requestTimeout) {
        this.client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).version(HttpClient.Version.HTTP_1_1)
                .build();
        this.requestTimeout = requestTimeout;
    }

    Delivery send(String method, URI url, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(requestTimeout)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            int status = r.statusCode();
            if (status / 100 == 2) {
                return Delivery.SENT;
            }
            String what = method + " " + url + " answered " + status + firstLine(r.body());
            if (status / 100 == 5 || status == 429) {
                return Delivery.retry(what);
            }
            return Delivery.drop("refused (" + status + ")", what);
        } catch (HttpTimeoutException e) {
            return Delivery.retry(method + " " + url + ": no answer within " + requestTimeout.toMillis() + " ms");
        } catch (IOException e) {
            return Delivery.retry(method + " " + url + ": " + (e.getMessage() != null ? e.getMessage()
                    : e.getClass().getSimpleName()));
        } catch (InterruptedException e) {
            // finish() interrupts a request in flight only when the flush time is over: the batch is not sent.
            return Delivery.retry(method + " " + url + ": interrupted at the end of the flush time");
        }
    }

    private static String firstLine(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String line = body.strip().lines().findFirst().orElse("");
        return ": " + (line.length() > 200 ? line.substring(0, 200) + "..." : line);
    }
}
