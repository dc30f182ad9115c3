package dev.lb.controller.export;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Prometheus remote write 1.0's {@code prometheus.WriteRequest}, encoded by hand in protobuf's wire format. No Maven
 * artifact with these generated messages resolves here (the official Java client ships only the exposition
 * format's protobuf), and the three messages lb needs are small enough that a tested encoder is less weight than
 * protoc and protobuf-java:
 *
 * <pre>
 * message WriteRequest { repeated TimeSeries timeseries = 1; }
 * message TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
 * message Label        { string name = 1; string value = 2; }
 * message Sample       { double value = 1; int64 timestamp = 2; }   // timestamp: epoch milliseconds
 * </pre>
 *
 * Labels are written in the order given: remote write wants them sorted by name, {@code __name__} included.
 */
final class RemoteWriteProto {
    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LEN = 2;

    /** One series: its labels sorted by name ({@code __name__} among them) and its samples in time order. */
    record Series(SortedMap<String, String> labels, List<Point> points) {
    }

    record Point(double value, long timestampMillis) {
    }

    private RemoteWriteProto() {
    }

    static byte[] writeRequest(List<Series> series) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Series s : series) {
            lengthDelimited(out, 1, timeSeries(s));
        }
        return out.toByteArray();
    }

    private static byte[] timeSeries(Series s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, String> l : s.labels().entrySet()) {
            ByteArrayOutputStream label = new ByteArrayOutputStream();
            lengthDelimited(label, 1, l.getKey().getBytes(StandardCharsets.UTF_8));
            lengthDelimited(label, 2, l.getValue().getBytes(StandardCharsets.UTF_8));
            lengthDelimited(out, 1, label.toByteArray());
        }
        for (Point p : s.points()) {
            ByteArrayOutputStream sample = new ByteArrayOutputStream();
            tag(sample, 1, FIXED64);
            fixed64(sample, Double.doubleToRawLongBits(p.value()));
            tag(sample, 2, VARINT);
            varint(sample, p.timestampMillis());
            lengthDelimited(out, 2, sample.toByteArray());
        }
        return out.toByteArray();
    }

    static void lengthDelimited(ByteArrayOutputStream out, int field, byte[] bytes) {
        tag(out, field, LEN);
        varint(out, bytes.length);
        out.writeBytes(bytes);
    }

    static void tag(ByteArrayOutputStream out, int field, int wireType) {
        varint(out, ((long) field << 3) | wireType);
    }

    /** Base 128, least significant group first; a negative int64 takes ten bytes, as protobuf writes it. */
    static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    static void fixed64(ByteArrayOutputStream out, long v) {
        for (int i = 0; i < 8; i++) {
            out.write((int) (v >>> (8 * i)) & 0xFF);
        }
    }
}
