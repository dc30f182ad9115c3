package dev.lb.controller.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The hand-written encoder against bytes worked out from protobuf's wire format specification. */
class ExportRemoteWriteProtoTest {
    private static byte[] varint(long v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RemoteWriteProto.varint(out, v);
        return out.toByteArray();
    }

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    @Test
    void varintsAsTheSpecificationWritesThem() {
        assertArrayEquals(bytes(0x00), varint(0));
        assertArrayEquals(bytes(0x01), varint(1));
        assertArrayEquals(bytes(0x7F), varint(127));
        assertArrayEquals(bytes(0x80, 0x01), varint(128));
        assertArrayEquals(bytes(0xAC, 0x02), varint(300));
        // A negative int64 takes ten bytes.
        assertArrayEquals(bytes(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01), varint(-1));
        // Epoch milliseconds of 2026: six bytes.
        assertArrayEquals(bytes(0x90, 0xDD, 0xD1, 0xED, 0xA4, 0x34), varint(1_796_600_000_144L));
    }

    @Test
    void oneSeriesWithOneSample() {
        TreeMap<String, String> labels = new TreeMap<>();
        labels.put("__name__", "m");
        labels.put("a", "b");
        byte[] got = RemoteWriteProto.writeRequest(List.of(new RemoteWriteProto.Series(labels,
                List.of(new RemoteWriteProto.Point(1.0, 1000)))));
        byte[] label1 = bytes(0x0A, 0x08, '_', '_', 'n', 'a', 'm', 'e', '_', '_', 0x12, 0x01, 'm');
        byte[] label2 = bytes(0x0A, 0x01, 'a', 0x12, 0x01, 'b');
        // Sample: field 1 fixed64 (tag 0x09) 1.0 = 0x3FF0000000000000 little-endian; field 2 varint (tag 0x10) 1000.
        byte[] sample = bytes(0x09, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0x10, 0xE8, 0x07);
        ByteArrayOutputStream series = new ByteArrayOutputStream();
        series.write(0x0A);
        series.write(label1.length);
        series.writeBytes(label1);
        series.write(0x0A);
        series.write(label2.length);
        series.writeBytes(label2);
        series.write(0x12);
        series.write(sample.length);
        series.writeBytes(sample);
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.write(0x0A);
        request.write(series.size());
        request.writeBytes(series.toByteArray());
        assertArrayEquals(request.toByteArray(), got);
    }

    @Test
    void samplesGroupedBySeriesAndSortedByTime() {
        TreeMap<String, String> l = new TreeMap<>();
        l.put("instance", "a");
        List<RemoteWriteExporter.Sample> batch = List.of(
                new RemoteWriteExporter.Sample("x", l, 2, 2000),
                new RemoteWriteExporter.Sample("x", l, 1, 1000));
        TreeMap<String, String> labels = new TreeMap<>(l);
        labels.put("__name__", "x");
        assertArrayEquals(RemoteWriteProto.writeRequest(List.of(new RemoteWriteProto.Series(labels, List.of(
                        new RemoteWriteProto.Point(1, 1000), new RemoteWriteProto.Point(2, 2000))))),
                RemoteWriteExporter.encode(batch));
    }
}
