package dev.lb.controller.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;

class CallbackRecordTest {
    @Test
    void aForwardedLineIsEverythingAfterItsHeaderAndOneSpaceUnchanged() {
        String line = " LB_EVENT {\"message\":\"} \\\" {\"}  ";
        CallbackRecord r = CallbackRecord.parse("{\"kind\":\"line\",\"host\":\"web-1\",\"task\":\"poll } \\\" {\","
                + "\"hook\":\"retry\",\"seen\":1.5} " + line);
        assertEquals(new CallbackRecord.Line("web-1", line), r);
    }

    @Test
    void aHeaderWithoutItsLineOrCutInsideIsDamaged() {
        assertInstanceOf(CallbackRecord.Damaged.class, CallbackRecord.parse("{\"kind\":\"line\",\"host\":\"h\"}"));
        assertInstanceOf(CallbackRecord.Damaged.class, CallbackRecord.parse("{\"kind\":\"line\",\"host\":\"h\"}LB_EVENT"));
        assertInstanceOf(CallbackRecord.Damaged.class, CallbackRecord.parse("{\"kind\":\"line\",\"host\":\"h"));
    }

    @Test
    void otherRecordsAreOneObjectEach() {
        CallbackRecord r = CallbackRecord.parse("{\"kind\":\"skipped\",\"host\":\"h\",\"count\":3}");
        assertEquals("skipped", ((CallbackRecord.Other) r).kind());
        assertInstanceOf(CallbackRecord.Damaged.class, CallbackRecord.parse("{\"kind\":\"skipped\"} trailing"));
        assertInstanceOf(CallbackRecord.Damaged.class, CallbackRecord.parse("[1]"));
    }
}
