package dev.lb.controller.history;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.history.query.HistoryQueries;
import dev.lb.history.query.RunLabelsQuery;
import dev.lb.history.query.RunPoint;
import dev.lb.history.query.Series;
import dev.lb.history.query.SeriesFilter;
import dev.lb.history.query.StoredCheck;
import dev.lb.history.store.HistoryStore;
import dev.lb.history.store.HistoryStoreException;
import dev.lb.history.store.StoreLocation;
import dev.lb.protocol.Json;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The history section of {@code lb report RUN}: for each series of the run, the last {@value #WINDOW} runs up to and
 * including this one (the history the gate judges it against), in the shape {@code lb history report} draws
 * ({@link HistoryReportData#series}), with this run named, its stored gate verdict, and the change points that fall
 * in the window (found over the whole series, as {@code lb history} finds them).
 *
 * <p>The section never fails the report: no store, a run not recorded or no series is one line saying so; a store
 * that cannot be read is one line naming it and why. Reading never creates a store.
 */
public final class RunHistorySection {
    public static final int WINDOW = 30;

    private RunHistorySection() {
    }

    public static ObjectNode read(StoreLocation location, String runId) {
        ObjectNode section = Json.MAPPER.createObjectNode().put("store", location.shown()).put("run_id", runId)
                .put("window", WINDOW);
        ArrayNode all = section.putArray("series");
        if (location.sqlite() && !Files.exists(location.sqliteFile())) {
            return section.put("note", "No history store at " + location.shown() + ": nothing recorded there yet"
                    + " (lb history import " + runId + " records this run).");
        }
        try (HistoryStore store = HistoryStore.openForReading(location)) {
            HistoryQueries q = new HistoryQueries(store);
            Map<Series, RunPoint> ofRun = q.ofRun(runId);
            if (ofRun.isEmpty()) {
                return section.put("note", q.runExists(runId)
                        ? "Run " + runId + " has no series in the history store " + location.shown() + "."
                        : "Run " + runId + " is not in the history store " + location.shown() + " (lb history import "
                                + runId + " records it).");
            }
            for (Series s : ofRun.keySet()) {
                ObjectNode one = series(store, q, s, runId);
                if (one != null) {
                    all.add(one);
                }
            }
            return section;
        } catch (HistoryStoreException e) {
            all.removeAll();
            String why = HistoryStore.oneLine(e);
            return section.put("problem", true).put("note", "The history could not be read: "
                    + (why.contains(location.shown()) ? why : location.shown() + ": " + why));
        }
    }

    /** The series' window ending at this run; null only if the run left the series between two reads. */
    private static ObjectNode series(HistoryStore store, HistoryQueries q, Series s, String runId)
            throws HistoryStoreException {
        // Change points over the whole series (the means only: at thousands of runs this is the cheap read) ...
        List<RunPoint> all = q.means(s.seriesId(), SeriesFilter.ALL);
        int at = -1;
        for (int i = 0; i < all.size() && at < 0; i++) {
            if (all.get(i).runId().equals(runId)) {
                at = i;
            }
        }
        if (at < 0) {
            return null;
        }
        List<RunPoint> counted = all.stream().filter(p -> !p.excluded()).toList();
        List<SeriesOverview.Change> changes = SeriesOverview.changes(s, counted);
        List<RunPoint> window = all.subList(Math.max(0, at - WINDOW + 1), at + 1);
        Set<String> inWindow = new HashSet<>();
        window.forEach(p -> inWindow.add(p.runId()));
        // ... and labels only for the runs shown.
        Map<String, Map<String, String>> labels = new RunLabelsQuery(store).of(inWindow);
        List<RunPoint> shown = window.stream().map(p -> new RunPoint(p.runId(), p.startedAt(), p.n(), p.mean(),
                p.stdev(), p.min(), p.max(), p.excludedReason(), labels.getOrDefault(p.runId(), Map.of()),
                List.of())).toList();
        List<StoredCheck> checks = q.checks(s.seriesId()).stream().filter(c -> inWindow.contains(c.runId())).toList();
        ObjectNode o = HistoryReportData.series(s, shown,
                changes.stream().filter(c -> inWindow.contains(c.runId())).toList(), checks);
        o.put("runs_in_series", all.size());
        o.put("this_run", runId);
        checks.stream().filter(c -> c.runId().equals(runId)).findFirst()
                .ifPresent(c -> o.set("this_check", HistoryReportData.check(c)));
        return o;
    }
}
