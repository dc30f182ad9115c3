package dev.lb.controller.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class HttpEndpointTest {
    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

    @Test
    void aPushIsSentWithExactlyItsBytesAndA2xxIsSent() throws Exception {
        try (FakeEndpoint sink = FakeEndpoint.always(204)) {
            byte[] body = "{\"streams\":[]}  trailing bytes not part of the body".getBytes(StandardCharsets.UTF_8);
            Delivery d = new HttpEndpoint(Duration.ofSeconds(5)).send("POST", URI.create(sink.url("/push")), body,
                    14, JSON);
            assertEquals(Delivery.Outcome.SENT, d.outcome());
            assertEquals(1, sink.requests.size());
            assertEquals("POST", sink.requests.get(0).method());
            assertEquals("application/json", sink.requests.get(0).header("Content-type"));
            assertArrayEquals("{\"streams\":[]}".getBytes(StandardCharsets.UTF_8), sink.requests.get(0).body());
        }
    }

    @Test
    void aGetCarriesNoBodyAndStaysAGet() throws Exception {
        try (FakeEndpoint sink = FakeEndpoint.always(200)) {
            Delivery d = new HttpEndpoint(Duration.ofSeconds(5)).send("GET", URI.create(sink.url("/-/ready")),
                    new byte[0], Map.of());
            assertEquals(Delivery.Outcome.SENT, d.outcome());
            assertEquals("GET", sink.requests.get(0).method());
            assertEquals(0, sink.requests.get(0).body().length);
        }
    }

    @Test
    void a4xxIsDroppedWithItsStatusAndTheAnswersFirstLine() throws Exception {
        try (RawServer server = new RawServer(List.of(
                "HTTP/1.1 400 Bad Request\r\nContent-Length: 35\r\n\r\nentry out of order for stream x\nmore"))) {
            Delivery d = new HttpEndpoint(Duration.ofSeconds(5)).send("POST", server.uri(), new byte[] {1, 2},
                    JSON);
            assertEquals(Delivery.Outcome.DROP, d.outcome());
            assertEquals("refused (400)", d.reason());
            assertTrue(d.detail().endsWith("answered 400: entry out of order for stream x"), d.detail());
        }
    }

    @Test
    void a5xxAndA429AreRetried() throws Exception {
        try (RawServer server = new RawServer(List.of(
                "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n",
                "HTTP/1.1 429 Too Many Requests\r\nContent-Length: 4\r\n\r\nslow"))) {
            HttpEndpoint http = new HttpEndpoint(Duration.ofSeconds(5));
            assertEquals(Delivery.Outcome.RETRY, http.send("POST", server.uri(), new byte[] {1}, JSON).outcome());
            Delivery d = http.send("POST", server.uri(), new byte[] {1}, JSON);
            assertEquals(Delivery.Outcome.RETRY, d.outcome());
            assertTrue(d.detail().endsWith("answered 429: slow"), d.detail());
        }
    }

    /**
     * The JDK resends a request whose kept-alive connection closes before the answer, unless its body was streamed:
     * a push is never sent twice behind the caller's back (its retry is counted), so the server sees it once.
     */
    @Test
    void aPushWhoseConnectionClosesUnansweredIsRetriedByTheCallerNotResentByTheJdk() throws Exception {
        try (RawServer server = new RawServer(List.of("HTTP/1.1 204 No Content\r\n\r\n", RawServer.CLOSE))) {
            HttpEndpoint http = new HttpEndpoint(Duration.ofSeconds(5));
            assertEquals(Delivery.Outcome.SENT, http.send("POST", server.uri(), new byte[] {1}, JSON).outcome());
            Delivery d = http.send("POST", server.uri(), new byte[] {2}, JSON);
            assertEquals(Delivery.Outcome.RETRY, d.outcome(), d.toString());
            assertEquals(2, server.requests.size(), "requests the server read");
            assertEquals(1, server.connections, "the second push went over the kept-alive connection");
        }
    }

    @Test
    void noAnswerWithinTheTimeOutIsRetried() throws Exception {
        try (RawServer server = new RawServer(List.of(RawServer.HANG))) {
            Delivery d = new HttpEndpoint(Duration.ofMillis(300)).send("POST", server.uri(), new byte[] {1}, JSON);
            assertEquals(Delivery.Outcome.RETRY, d.outcome());
            assertTrue(d.detail().endsWith("no answer within 300 ms"), d.detail());
        }
    }

    @Test
    void aRefusedConnectionIsRetriedWithTheReason() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Delivery d = new HttpEndpoint(Duration.ofSeconds(1)).send("POST", URI.create("http://127.0.0.1:" + port
                + "/push"), new byte[] {1}, JSON);
        assertEquals(Delivery.Outcome.RETRY, d.outcome());
        assertTrue(d.detail().contains("Connection refused"), d.detail());
        assertNull(d.reason());
    }

    /** One connection at a time; answers the n-th request read with the n-th script (raw bytes, CLOSE or HANG). */
    private static final class RawServer implements AutoCloseable {
        static final String CLOSE = "close";
        static final String HANG = "hang";
        final List<String> requests = new CopyOnWriteArrayList<>();
        volatile int connections;
        private final ServerSocket socket = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        private final List<String> answers;
        private final Thread thread;

        RawServer(List<String> answers) throws IOException {
            this.answers = answers;
            thread = new Thread(this::serve, "raw-http");
            thread.setDaemon(true);
            thread.start();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/push");
        }

        private void serve() {
            try {
                while (true) {
                    try (Socket s = socket.accept()) {
                        connections++;
                        InputStream in = new BufferedInputStream(s.getInputStream());
                        OutputStream out = s.getOutputStream();
                        while (true) {
                            String head = readHead(in);
                            if (head == null) {
                                break;
                            }
                            in.readNBytes(contentLength(head));
                            requests.add(head);
                            String answer = requests.size() <= answers.size() ? answers.get(requests.size() - 1)
                                    : CLOSE;
                            if (answer.equals(HANG)) {
                                Thread.sleep(60_000);
                            }
                            if (answer.equals(CLOSE)) {
                                break;
                            }
                            out.write(answer.getBytes(StandardCharsets.UTF_8));
                            out.flush();
                        }
                    }
                }
            } catch (IOException | InterruptedException e) {
                // closed by the test
            }
        }

        private static String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                String s = head.toString(StandardCharsets.ISO_8859_1);
                if (s.endsWith("\r\n\r\n")) {
                    return s;
                }
            }
            return null;
        }

        private static int contentLength(String head) {
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase().startsWith("content-length:")) {
                    return Integer.parseInt(line.substring(15).trim());
                }
            }
            return 0;
        }

        @Override
        public void close() throws IOException {
            socket.close();
            thread.interrupt();
        }
    }
}
