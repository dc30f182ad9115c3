package dev.lb.controller.history;

import dev.lb.history.gate.MinimumChange;
import java.util.Map;

/**
 * What a config says about the history: {@code history.url}, {@code labels:} and the {@code regression:} block's
 * minimum change by default and per metric ({@code RunConfig.History}, read by ConfigLoader), as {@code lb run} hands it to the recording
 * and the gate at the end of a run. {@code lb recover} takes no config and uses {@link #NONE}: the command line
 * ({@code --history-url}, {@code --label}) and LB_HISTORY_URL say the rest. ({@code lb history ... -c CONFIG} reads
 * the same keys from the config it is given.)
 */
public record HistorySettings(String url, Map<String, String> labels, MinimumChange minChange) {
    public static final HistorySettings NONE = new HistorySettings(null, Map.of(), null);

    public HistorySettings {
        labels = Map.copyOf(labels);
    }
}
