package dev.lb.agent.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lb.protocol.EventStatus;
import dev.lb.protocol.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a STOP file's content makes of the repetition's end, read the moment the agent acts on it. */
class StopFileTest {
    private static final Duration SETTLE = Duration.ofMillis(50);

    @TempDir
    Path tmp;

    private StopRequest read(String content) throws Exception {
        Path stop = Files.writeString(tmp.resolve("STOP"), content);
        return StopFile.read(stop, SETTLE);
    }

    @Test
    void repetitionTimeoutJsonIsATimeoutWithTheObjectAsContext() throws Exception {
        StopRequest r = read("{\"reason\": \"repetition_timeout\", \"limit_s\": 60, \"elapsed_s\": 61.2, \"by\": \"lb\"}\n");
        assertEquals(EventStatus.TIMEOUT, r.status());
        assertEquals("repetition_timeout", r.errorType());
        assertEquals("repetition time limit of 60 s reached, 61.2 s elapsed", r.reason());
        assertEquals("{\"reason\":\"repetition_timeout\",\"limit_s\":60,\"elapsed_s\":61.2,\"by\":\"lb\"}",
                Json.line(r.context()));
    }

    @Test
    void emptyFileIsAPlainStop() throws Exception {
        StopRequest r = read("");
        assertEquals(EventStatus.STOPPED, r.status());
        assertNull(r.errorType());
        assertEquals("STOP file " + tmp.resolve("STOP"), r.reason());
    }

    @Test
    void fileCreatedEmptyAndFilledAMomentLaterIsReadAgain() throws Exception {
        Path stop = Files.createFile(tmp.resolve("STOP"));
        Thread writer = new Thread(() -> {
            try {
                Thread.sleep(10);
                Files.writeString(stop, "{\"reason\":\"repetition_timeout\",\"limit_s\":5,\"elapsed_s\":5.1}");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        writer.start();
        StopRequest r = StopFile.read(stop, Duration.ofMillis(200));
        writer.join();
        assertEquals(EventStatus.TIMEOUT, r.status());
        assertEquals(5, r.context().get("limit_s").asInt());
    }

    @Test
    void otherReasonIsAPlainStopNamingIt() throws Exception {
        StopRequest r = read("{\"reason\": \"user\"}");
        assertEquals(EventStatus.STOPPED, r.status());
        assertEquals("STOP file " + tmp.resolve("STOP") + " (reason \"user\")", r.reason());
    }

    @Test
    void textThatIsNotJsonIsAPlainStop() throws Exception {
        assertEquals(StopRequest.stopped("STOP file " + tmp.resolve("STOP")), read("please stop\n"));
        assertEquals(StopRequest.stopped("STOP file " + tmp.resolve("STOP")), read("{\"reason\": \"repetition_timeout\""));
        assertEquals(StopRequest.stopped("STOP file " + tmp.resolve("STOP")), read("[\"repetition_timeout\"]"));
    }
}
