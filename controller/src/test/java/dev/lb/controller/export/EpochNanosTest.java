package dev.lb.controller.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Loki's nanosecond timestamps: the fast conversion gives BigDecimal's own answer for every ts. */
class EpochNanosTest {
    private static long reference(BigDecimal ts) {
        return ts.movePointRight(9).longValue();
    }

    @Test
    void agreesWithBigDecimalOnAgentsTimestampsAndEveryOtherShape() {
        String[] edges = {"1796647859.639819", "1796647859", "0", "1.5", "-1.25", "1796647859.123456789",
                "1796647859.1234567891", "1e3", "1.5E+2", "9223372036.854775807", "9223372036.854775808",
                "-9223372036.854775808", "99999999999.5", "0.000000001", "0.0000000009", "123456789012345678.9"};
        for (String s : edges) {
            BigDecimal ts = new BigDecimal(s);
            assertEquals(reference(ts), ExportStage.epochNanos(ts), s);
        }
        Random r = new Random(31);
        for (int i = 0; i < 100_000; i++) {
            long unscaled = switch (i % 3) {
                case 0 -> 1_700_000_000_000_000L + r.nextInt(1_000_000_000);  // µs since the epoch
                case 1 -> r.nextLong();
                default -> r.nextInt();
            };
            BigDecimal ts = BigDecimal.valueOf(unscaled, r.nextInt(14) - 2);
            assertEquals(reference(ts), ExportStage.epochNanos(ts), ts.toString());
        }
    }
}
