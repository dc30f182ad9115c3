package dev.lb.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class EventIdentityTest {
    private static EventIdentity id(String json) throws InvalidEventException {
        return EventDecoder.decode(json).identity();
    }

    @Test
    void withSeqOnlyTheIdentityFieldsCount() throws Exception {
        assertEquals(
                id("{\"run_id\":\"r\",\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"src\":\"agent\",\"seq\":5,\"message\":\"a\"}"),
                id("{\"seq\":5,\"src\":\"agent\",\"status\":\"done\",\"repetition\":\"1\",\"workload\":\"w\",\"host\":\"h\",\"run_id\":\"r\",\"message\":\"b\"}"));
    }

    @Test
    void sameTextWithDistinctSeqAreTwoEvents() throws Exception {
        String a = "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"src\":\"agent\",\"message\":\"same\",\"seq\":";
        assertNotEquals(id(a + "1}"), id(a + "2}"));
    }

    @Test
    void eachIdentityFieldSeparatesEvents() throws Exception {
        String base = "{\"run_id\":\"r\",\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\",\"src\":\"s\",\"seq\":1}";
        EventIdentity reference = id(base);
        assertNotEquals(reference, id(base.replace("\"r\"", "\"r2\"")));
        assertNotEquals(reference, id(base.replace("\"h\"", "\"h2\"")));
        assertNotEquals(reference, id(base.replace("\"w\"", "\"w2\"")));
        assertNotEquals(reference, id(base.replace("\"repetition\":1", "\"repetition\":2")));
        assertNotEquals(reference, id(base.replace("\"s\"", "\"s2\"")));
        assertNotEquals(reference, id(base.replace(",\"run_id\":\"r\"", "").replace("{\"run_id\":\"r\",", "{")));
    }

    @Test
    void fieldSeparatorCannotBeForgedByConcatenation() throws Exception {
        assertNotEquals(
                id("{\"host\":\"a\\u0000b\",\"workload\":\"c\",\"repetition\":1,\"status\":\"done\",\"seq\":1}"),
                id("{\"host\":\"a\",\"workload\":\"b\\u0000c\",\"repetition\":1,\"status\":\"done\",\"seq\":1}"));
    }

    @Test
    void withoutSeqTheCanonicalPayloadIsTheIdentity() throws Exception {
        assertEquals(
                id("{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"done\",\"ts\":1.0,\"x\":{\"b\":1,\"a\":[2]}}"),
                id("{ \"x\": {\"a\":[2], \"b\":1}, \"ts\":1.00, \"status\":\"done\",\"repetition\":1,\"workload\":\"w\",\"host\":\"h\"}"));
        assertNotEquals(
                id("{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"done\",\"message\":\"a\"}"),
                id("{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"done\",\"message\":\"a\",\"ts\":2}"));
    }
}
