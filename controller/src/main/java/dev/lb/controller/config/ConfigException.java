package dev.lb.controller.config;

import java.util.List;

/** Everything wrong with a config file, each with its key path and line. */
public final class ConfigException extends Exception {
    private final List<String> problems;

    public ConfigException(String file, List<String> problems) {
        super(file + ": " + problems.size() + " problem(s):\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
