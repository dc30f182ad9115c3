package dev.lb.history.changepoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lb.protocol.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * lb's change points against Apache Otava's own answers on the same series (otava-change-points.json: the series,
 * Otava's change points and the Otava commit that computed them; made by src/test/python/otava_fixture.py). A point
 * agrees when the other side has one within ±1 run.
 */
class HistoryChangePointsAgreeWithOtavaTest {
    private static JsonNode fixture;

    @BeforeAll
    static void read() throws IOException {
        try (InputStream in = HistoryChangePointsAgreeWithOtavaTest.class
                .getResourceAsStream("/otava-change-points.json")) {
            fixture = Json.MAPPER.readTree(in);
        }
    }

    /** Precision and recall counted over a set of series. */
    record Score(int series, int lbPoints, int otavaPoints, int lbMatched, int otavaMatched, int exactSeries) {
        double precision() {
            return lbPoints == 0 ? 1.0 : (double) lbMatched / lbPoints;
        }

        double recall() {
            return otavaPoints == 0 ? 1.0 : (double) otavaMatched / otavaPoints;
        }
    }

    @Test
    void atLeastTwoHundredSeriesFromAPinnedOtavaCommit() {
        assertTrue(fixture.path("series").size() >= 200, "series: " + fixture.path("series").size());
        assertTrue(fixture.path("otava_commit").asText().matches("[0-9a-f]{40}"));
        assertEquals(50, fixture.path("window_len").asInt());
        assertEquals(0.001, fixture.path("max_pvalue").asDouble());
    }

    @Test
    void precisionAndRecallWithinOneRunAreAtLeast95PercentWhereOtavaFindsAChange() {
        Score s = score(false);
        System.out.printf("lb vs Otava %s over %d series where Otava finds a change: precision %.4f (%d/%d), "
                        + "recall %.4f (%d/%d), identical answers in %d series%n",
                fixture.path("otava_commit").asText().substring(0, 12), s.series(), s.precision(), s.lbMatched(),
                s.lbPoints(), s.recall(), s.otavaMatched(), s.otavaPoints(), s.exactSeries());
        assertTrue(s.series() >= 100, "series scored: " + s.series());
        assertTrue(s.precision() >= 0.95, "precision " + s.precision());
        assertTrue(s.recall() >= 0.95, "recall " + s.recall());
    }

    @Test
    void pValuesAndMagnitudesOfIdenticalPointsMatchOtavas() {
        int compared = 0;
        for (JsonNode s : fixture.path("series")) {
            double[] values = values(s);
            List<ChangePoint> lb = EDivisiveMeans.DEFAULT.find(values);
            if (!lb.stream().map(ChangePoint::index).toList().equals(otavaIndexes(s))) {
                continue;
            }
            for (int i = 0; i < lb.size(); i++) {
                JsonNode o = s.path("otava").get(i);
                assertEquals(o.path("pvalue").asDouble(), lb.get(i).pValue(),
                        1e-9 + 1e-6 * o.path("pvalue").asDouble(), s.path("name").asText());
                assertEquals(o.path("magnitude").asDouble(), lb.get(i).magnitude(), 1e-9, s.path("name").asText());
                compared++;
            }
        }
        assertTrue(compared >= 200, "points compared: " + compared);
    }

    @Test
    void singleOutliersAreScoredApartAndListed() {
        Score s = score(true);
        int lbSeriesWithAStep = 0;
        for (JsonNode series : fixture.path("series")) {
            if (series.path("kind").asText().equals("outlier")) {
                List<Integer> lb = lbIndexes(series);
                List<Integer> otava = otavaIndexes(series);
                lbSeriesWithAStep += lb.isEmpty() ? 0 : 1;
                if (!lb.isEmpty() || !otava.isEmpty()) {
                    System.out.printf("outlier series %s: lb %s, Otava %s%n", series.path("name").asText(), lb, otava);
                }
            }
        }
        System.out.printf("outlier-only series: %d, lb reports a change in %d; where Otava does, precision %.3f "
                + "recall %.3f%n", countKind("outlier"), lbSeriesWithAStep, s.precision(), s.recall());
        // Otava's method may call an outlier a pair of changes; lb follows the method, so it should say the same.
        assertTrue(s.precision() >= 0.95 && s.recall() >= 0.95, s.toString());
    }

    @Test
    void noiseOnlySeriesMostlyHaveNoChange() {
        int withChange = 0;
        for (JsonNode series : fixture.path("series")) {
            if (series.path("kind").asText().equals("noise") && !lbIndexes(series).isEmpty()) {
                withChange++;
            }
        }
        assertTrue(withChange <= 2, "noise-only series with a change point: " + withChange);
    }

    private static Score score(boolean outliers) {
        int series = 0, lbPoints = 0, otavaPoints = 0, lbMatched = 0, otavaMatched = 0, exact = 0;
        for (JsonNode s : fixture.path("series")) {
            if (s.path("kind").asText().equals("outlier") != outliers) {
                continue;
            }
            List<Integer> otava = otavaIndexes(s);
            if (otava.isEmpty()) {
                continue;
            }
            List<Integer> lb = lbIndexes(s);
            series++;
            exact += lb.equals(otava) ? 1 : 0;
            lbPoints += lb.size();
            otavaPoints += otava.size();
            lbMatched += (int) lb.stream().filter(i -> near(i, otava)).count();
            otavaMatched += (int) otava.stream().filter(i -> near(i, lb)).count();
        }
        return new Score(series, lbPoints, otavaPoints, lbMatched, otavaMatched, exact);
    }

    private static boolean near(int index, List<Integer> others) {
        return others.stream().anyMatch(o -> Math.abs(o - index) <= 1);
    }

    private static int countKind(String kind) {
        int n = 0;
        for (JsonNode s : fixture.path("series")) {
            n += s.path("kind").asText().equals(kind) ? 1 : 0;
        }
        return n;
    }

    static List<Integer> lbIndexes(JsonNode series) {
        return EDivisiveMeans.DEFAULT.find(values(series)).stream().map(ChangePoint::index).toList();
    }

    private static double[] values(JsonNode series) {
        double[] values = new double[series.path("values").size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = series.path("values").get(i).asDouble();
        }
        return values;
    }

    static List<Integer> otavaIndexes(JsonNode series) {
        List<Integer> out = new ArrayList<>();
        series.path("otava").forEach(c -> out.add(c.path("index").asInt()));
        return out;
    }
}
