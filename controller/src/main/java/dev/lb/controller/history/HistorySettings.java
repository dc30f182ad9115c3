package dev.lb.controller.history;

import java.util.Map;

/**
 * What a config says about the history: {@code history.url}, {@code labels:} and the {@code regression:} block's
 * default minimum change. Not read from the config yet: the configuration is being regrouped, and these keys are
 * wired once that lands (ConfigLoader fills this record); until then every command uses {@link #NONE}, and the
 * command line ({@code --history-url}, {@code --label}, {@code --min-change}) and LB_HISTORY_URL say the rest.
 */
public record HistorySettings(String url, Map<String, String> labels, Double minChangePercent) {
    public static final HistorySettings NONE = new HistorySettings(null, Map.of(), null);

    public HistorySettings {
        labels = Map.copyOf(labels);
    }
}
