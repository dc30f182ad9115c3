package dev.lb.controller.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Values are shown in the unit people read them in; the files keep the reported unit. */
class DisplayUnitTest {
    @Test
    void aByteRateIsShownAsFioPrintsIt() {
        assertEquals("37.85 MiB/s", Figures.quantity(39691039.7, "B/s"));
        assertEquals("2.000 GiB/s", Figures.quantity(2048, "MiB/s"));
        assertEquals("512.0 B/s", Figures.quantity(512, "B/s"));
    }

    @Test
    void sizesScaleBy1024() {
        assertEquals("2.000 MiB", Figures.quantity(2048, "KiB"));
        assertEquals("1023 B", Figures.quantity(1023, "B"));
        assertEquals("1.000 KiB", Figures.quantity(1024, "B"));
    }

    @Test
    void timesScaleBy1000UpToSecondsAndNoFurther() {
        assertEquals("73.22 µs", Figures.quantity(73.21600000000001, "us"));
        assertEquals("73.20 µs", Figures.quantity(0.0732, "ms"));
        assertEquals("1.500 s", Figures.quantity(1500, "ms"));
        assertEquals("5400 s", Figures.quantity(5400, "s"), "no minutes: seconds are what the metric says");
        assertEquals("250.0 ns", Figures.quantity(250, "ns"));
    }

    @Test
    void zeroNegativeAndUnknownUnitsKeepTheirUnit() {
        assertEquals("0.0 B", Figures.quantity(0, "B"));
        assertEquals("-2.000 MiB", Figures.quantity(-2 * 1024 * 1024, "B"), "scaled by magnitude");
        assertEquals("12346 ops/s", Figures.quantity(12345.6, "ops/s"), "rates of operations are not scaled");
        assertEquals("3.000 furlongs", Figures.quantity(3, "furlongs"));
    }

    @Test
    void aMeanAndItsSpreadShareOneUnit() {
        SampleSummary s = SampleSummary.of(new double[] {37e6, 39e6, 41e6});
        assertEquals("37.19 MiB/s ± 1.91 MiB/s", Figures.meanStdev(s, "B/s"));
        SampleSummary t = SampleSummary.of(new double[] {0.55, 0.6, 0.65});
        assertEquals("600.0 ms ± 50.0 ms", Figures.meanStdev(t, "s"));
    }
}
