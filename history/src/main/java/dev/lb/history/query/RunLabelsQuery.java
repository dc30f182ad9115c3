package dev.lb.history.query;

import dev.lb.history.store.HistoryStore;
import dev.lb.history.store.HistoryStoreException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The labels of a few named runs (lb report's history section shows the last 30 runs of a series with their labels):
 * one read of exactly those runs, where {@link HistoryQueries#points} would read the labels and values of every run of
 * the series.
 */
public final class RunLabelsQuery {
    /** Runs per statement: well under SQLite's and PostgreSQL's limits on bound parameters. */
    static final int BATCH = 200;

    private final HistoryStore store;

    public RunLabelsQuery(HistoryStore store) {
        this.store = store;
    }

    /** Each named run that has labels, with them sorted by name; a run without labels is absent. */
    public Map<String, Map<String, String>> of(Collection<String> runIds) throws HistoryStoreException {
        Map<String, Map<String, String>> out = new HashMap<>();
        List<String> ids = List.copyOf(runIds);
        for (int from = 0; from < ids.size(); from += BATCH) {
            List<String> batch = ids.subList(from, Math.min(ids.size(), from + BATCH));
            String sql = "SELECT run_id, name, value FROM run_labels WHERE run_id IN ("
                    + String.join(", ", java.util.Collections.nCopies(batch.size(), "?")) + ")";
            try (PreparedStatement p = store.connection().prepareStatement(sql)) {
                for (int i = 0; i < batch.size(); i++) {
                    p.setString(i + 1, batch.get(i));
                }
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.computeIfAbsent(r.getString(1), k -> new TreeMap<>()).put(r.getString(2), r.getString(3));
                    }
                }
            } catch (SQLException e) {
                throw new HistoryStoreException("cannot read the history store " + store.location().shown() + ": "
                        + HistoryStore.oneLine(e), e);
            }
        }
        return out;
    }
}
