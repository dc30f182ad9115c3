package dev.lb.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventDecoderTest {
    private static final String MINIMAL = "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"running\"";

    private static Event decode(String extra) throws InvalidEventException {
        return EventDecoder.decode(MINIMAL + extra + "}");
    }

    @Test
    void minimalEventGetsProtocolDefaults() throws Exception {
        Event e = decode("");
        assertEquals("h", e.host());
        assertEquals(1, e.repetition());
        assertEquals(EventStatus.RUNNING, e.status());
        assertEquals(EventType.STATUS, e.type());
        assertEquals(EventLevel.INFO, e.level());
        assertEquals(1, e.version());
        assertNull(e.seq());
        assertNull(e.ts());
    }

    @Test
    void unknownFieldsArePreservedInThePayload() throws Exception {
        Event e = decode(",\"custom\":{\"a\":[1,2,{\"b\":null}]},\"zz\":\"x\"");
        assertEquals(MINIMAL + ",\"custom\":{\"a\":[1,2,{\"b\":null}]},\"zz\":\"x\"}", e.payloadJson());
    }

    @Test
    void floatsAreKeptExactlyAsWritten() throws Exception {
        Event e = decode(",\"ts\":1760000000.0,\"x\":0.1000");
        assertEquals(new BigDecimal("1760000000.0"), e.ts());
        assertTrue(e.payloadJson().contains("\"ts\":1760000000.0,\"x\":0.1000"), e.payloadJson());
        assertEquals(1760000000000L, e.tsMillis());
    }

    @Test
    void numericStringsAreAcceptedForIntegers() throws Exception {
        Event e = EventDecoder.decode("{\"host\":\"h\",\"workload\":\"w\",\"repetition\":\"3\",\"status\":\"done\","
                + "\"seq\":\"42\",\"total_repetitions\":\"5\",\"ts\":\"12.5\"}");
        assertEquals(3, e.repetition());
        assertEquals(42L, e.seq());
        assertEquals(5, e.totalRepetitions());
        assertEquals(new BigDecimal("12.5"), e.ts());
        assertTrue(e.payloadJson().contains("\"repetition\":\"3\""), "payload stays as received");
    }

    @Test
    void integralFloatIsAnInteger() throws Exception {
        assertEquals(2, EventDecoder.decode(
                "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":2.0,\"status\":\"done\"}").repetition());
    }

    @Test
    void levelAndStatusAreCaseInsensitiveAndWarnMeansWarning() throws Exception {
        Event e = EventDecoder.decode(
                "{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"DONE\",\"level\":\"warn\"}");
        assertEquals(EventStatus.DONE, e.status());
        assertEquals(EventLevel.WARNING, e.level());
    }

    @Test
    void timeoutIsAFinalStatusOfItsOwn() throws Exception {
        Event e = EventDecoder.decode("{\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"timeout\"}");
        assertEquals(EventStatus.TIMEOUT, e.status());
        assertEquals("timeout", e.status().wireName());
        assertTrue(e.status().isFinal());
    }

    @Test
    void resultMetricAndSystemAreTypesAndKeepTheirObjectsInThePayload() throws Exception {
        Event result = decode(",\"type\":\"result\",\"parser\":\"stress-ng\",\"message\":\"stress-ng: 1 metrics\","
                + "\"metrics\":[{\"name\":\"cpu.bogo_ops_per_s_real\",\"value\":1234.5,\"unit\":\"ops/s\"}]");
        assertEquals(EventType.RESULT, result.type());
        assertEquals("result", result.type().wireName());
        assertEquals(1234.5, result.field("metrics").get(0).get("value").doubleValue());

        Event metric = decode(",\"type\":\"METRIC\",\"metrics\":[{\"name\":\"cpu_user\",\"value\":12.5,\"unit\":\"%\"}]");
        assertEquals(EventType.METRIC, metric.type());
        assertEquals("metric", metric.type().wireName());
        assertEquals("cpu_user", metric.field("metrics").get(0).get("name").textValue());

        Event system = decode(",\"type\":\"system\",\"system\":{\"kernel\":{\"release\":\"6.1.0\"}}");
        assertEquals(EventType.SYSTEM, system.type());
        assertEquals("6.1.0", system.field("system").get("kernel").get("release").textValue());
    }

    @Test
    void anUnknownTypeListsEveryKnownOne() {
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> decode(",\"type\":\"metrics\""));
        assertEquals("field 'type' is \"metrics\", expected status, log, container, summary, heartbeat, result, metric or system",
                e.getMessage());
    }

    @Test
    void nullOptionalFieldsCountAsAbsent() throws Exception {
        Event e = decode(",\"seq\":null,\"message\":null,\"type\":null");
        assertNull(e.seq());
        assertNull(e.message());
        assertEquals(EventType.STATUS, e.type());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "missing host            | {\"workload\":\"w\",\"repetition\":1,\"status\":\"running\"}                  | MISSING_FIELD    | 'host'",
        "missing workload        | {\"host\":\"h\",\"repetition\":1,\"status\":\"running\"}                      | MISSING_FIELD    | 'workload'",
        "missing repetition      | {\"host\":\"h\",\"workload\":\"w\",\"status\":\"running\"}                    | MISSING_FIELD    | 'repetition'",
        "missing status          | {\"host\":\"h\",\"workload\":\"w\",\"repetition\":1}                          | MISSING_FIELD    | 'status'",
        "null status             | {\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":null}          | MISSING_FIELD    | 'status'",
        "empty host              | {\"host\":\"\",\"workload\":\"w\",\"repetition\":1,\"status\":\"done\"}       | MISSING_FIELD    | 'host' is empty",
        "host a number           | {\"host\":7,\"workload\":\"w\",\"repetition\":1,\"status\":\"done\"}          | WRONG_TYPE       | 'host' is a number",
        "repetition text         | {\"host\":\"h\",\"workload\":\"w\",\"repetition\":\"two\",\"status\":\"done\"} | NOT_AN_INTEGER   | 'repetition'",
        "repetition fraction     | {\"host\":\"h\",\"workload\":\"w\",\"repetition\":1.5,\"status\":\"done\"}    | NOT_AN_INTEGER   | 1.5",
        "repetition boolean      | {\"host\":\"h\",\"workload\":\"w\",\"repetition\":true,\"status\":\"done\"}   | NOT_AN_INTEGER   | boolean",
        "repetition negative     | {\"host\":\"h\",\"workload\":\"w\",\"repetition\":-1,\"status\":\"done\"}     | OUT_OF_RANGE     | below 0",
        "repetition huge         | {\"host\":\"h\",\"workload\":\"w\",\"repetition\":99999999999,\"status\":\"done\"} | OUT_OF_RANGE | above",
        "seq negative            | {\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"done\",\"seq\":-4} | OUT_OF_RANGE | 'seq'",
        "seq beyond long         | {\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"done\",\"seq\":1e30} | OUT_OF_RANGE | too large",
        "seq 0 (counts from 1)   | {\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"done\",\"seq\":0} | OUT_OF_RANGE | 'seq' is 0, below 1",
        "status unknown          | {\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"exploded\"}  | UNKNOWN_VALUE    | 'exploded'",
        "type unknown            | {\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"done\",\"type\":\"x\"} | UNKNOWN_VALUE | 'type'",
        "level unknown           | {\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"done\",\"level\":\"LOUD\"} | UNKNOWN_VALUE | 'level'",
        "ts not a number         | {\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"done\",\"ts\":\"soon\"} | WRONG_TYPE | 'ts'",
        "message an object       | {\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"done\",\"message\":{}} | WRONG_TYPE | 'message'",
        "error_context a string  | {\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"done\",\"error_context\":\"x\"} | WRONG_TYPE | 'error_context'",
        "version 2               | {\"v\":2,\"host\":\"h\",\"workload\":\"w\",\"repetition\":1,\"status\":\"done\"} | UNSUPPORTED_VERSION | 'v' is 2",
        "duplicate field         | {\"host\":\"h\",\"host\":\"i\",\"workload\":\"w\",\"repetition\":1,\"status\":\"done\"} | DUPLICATE_FIELD | host",
        "an array                | [1,2,3]                                                                     | NOT_AN_OBJECT    | array",
        "a string                | \"LB\"                                                                      | NOT_AN_OBJECT    | string",
        "malformed               | {\"host\":\"h\",,}                                                          | MALFORMED_JSON   | column",
        "trailing garbage        | {\"host\":\"h\"} x                                                          | MALFORMED_JSON   | ''",
        "single quotes           | {'host':'h'}                                                                | MALFORMED_JSON   | ''",
    })
    void eachInvalidCaseHasItsOwnReason(String name, String json, RejectReason reason, String inMessage) {
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> EventDecoder.decode(json.strip()));
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(inMessage.strip()), e.getMessage());
    }

    @Test
    void builderWritesProtocolFieldOrderAndRoundTrips() throws Exception {
        Event built = Event.builder("web-1", "cpu", 2, EventStatus.FAILED).runId("r1").totalRepetitions(3)
                .type(EventType.LOG).level(EventLevel.ERROR).src("agent").seq(9)
                .ts(new BigDecimal("1.5")).message("boom").build();
        assertEquals("{\"v\":1,\"run_id\":\"r1\",\"host\":\"web-1\",\"workload\":\"cpu\",\"repetition\":2,"
                + "\"total_repetitions\":3,\"status\":\"failed\",\"type\":\"log\",\"level\":\"ERROR\",\"src\":\"agent\","
                + "\"seq\":9,\"ts\":1.5,\"message\":\"boom\"}", built.payloadJson());
        assertEquals(built, EventDecoder.decode(built.payloadJson()));
    }

    /**
     * Issue 29: a rejected level was quoted raw, and the terminal sanitizing then showed 'INFO' (the escape stripped)
     * as the value rejected. A closed-vocabulary value is quoted as JSON, so what was wrong with it shows.
     */
    @Test
    void aRejectedLevelIsQuotedSoItsInvisiblePartsShow() {
        InvalidEventException e = assertThrows(InvalidEventException.class,
                () -> decode(",\"level\":\"INFO\\u001b[31m\""));
        assertEquals("field 'level' is \"INFO\\u001B[31m\", expected DEBUG, INFO, WARNING or ERROR", e.getMessage());
        InvalidEventException spaced = assertThrows(InvalidEventException.class,
                () -> decode(",\"type\":\"log \""));
        assertTrue(spaced.getMessage().startsWith("field 'type' is \"log \", expected status,"), spaced.getMessage());
    }

    /** Issue 29: Jackson's "enable JsonReadFeature..." hint is advice to a programmer, not to a user. */
    @Test
    void aMalformedPayloadIsDescribedWithoutJacksonsFeatureHint() {
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> decode(",\"ts\":NaN"));
        assertEquals(RejectReason.MALFORMED_JSON, e.reason());
        assertEquals("Non-standard token 'NaN' at column 70", e.getMessage());
    }
}
