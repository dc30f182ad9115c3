package dev.lb.controller.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.controller.ExitCode;
import dev.lb.protocol.Json;
import dev.lb.protocol.TerminalText;
import dev.lb.results.Metric;
import dev.lb.results.MetricsJson;
import dev.lb.results.ParsedResult;
import dev.lb.results.ResultParseException;
import dev.lb.results.ResultParser;
import dev.lb.results.ResultParsers;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lb results parse}: one result file through the same parser the agent uses after a repetition. */
@Command(name = "parse", mixinStandardHelpOptions = true,
        description = {
            "Reads FILE, a benchmark tool's result, with the named parser and prints its metrics: name, value and"
                    + " unit. The agent uses the same parsers after each repetition, so this shows what a run would"
                    + " record.",
            "",
            "Exit code 0, 1 when FILE cannot be parsed (the reason on one line), 2 on usage errors.",
            ""})
final class ResultsParseCommand implements Callable<Integer> {
    enum Format { text, json }

    @Spec
    CommandSpec spec;

    @Option(names = "--parser", required = true, paramLabel = "NAME",
            description = "stress-ng (--metrics --yaml FILE), fio (--output-format=json), sysbench (its stdout), k6"
                    + " (--summary-export FILE).")
    String parserName;

    @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (an aligned table) or json (one object). Default: ${DEFAULT-VALUE}.")
    Format output;

    @Parameters(paramLabel = "FILE", description = "The result file.")
    Path file;

    @Override
    public Integer call() {
        ResultParser parser = ResultParsers.named(parserName).orElseThrow(() -> new CommandLine.ParameterException(
                spec.commandLine(), "unknown parser '" + parserName + "' for --parser (known: "
                        + String.join(", ", ResultParsers.names()) + ")"));
        ParsedResult result;
        try {
            result = parser.parse(file);
        } catch (ResultParseException e) {
            // The parser's message already names the file and the fault; the command names itself in front.
            spec.commandLine().getErr().println(TerminalText.sanitize(spec.qualifiedName() + ": " + e.getMessage()));
            return ExitCode.FAILED;
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output == Format.json) {
            out.println(Json.line(json(result)));
        } else {
            table(result.metrics(), out);
        }
        out.flush();
        return ExitCode.OK;
    }

    private static ObjectNode json(ParsedResult result) {
        ObjectNode root = Json.MAPPER.createObjectNode().put("parser", result.parser());
        root.set("metrics", MetricsJson.array(result.metrics()));
        return root;
    }

    /** Names left-aligned, values right-aligned at full precision (no exponent), units after them. */
    private static void table(List<Metric> metrics, PrintWriter out) {
        // a fio job or stress-ng stressor name comes from the file: shown inert
        List<String> names = metrics.stream().map(m -> TerminalText.sanitize(m.name())).toList();
        List<String> values = metrics.stream().map(m -> plain(m.value())).toList();
        int nameWidth = "metric".length();
        int valueWidth = "value".length();
        for (int i = 0; i < metrics.size(); i++) {
            nameWidth = Math.max(nameWidth, names.get(i).length());
            valueWidth = Math.max(valueWidth, values.get(i).length());
        }
        String row = "%-" + nameWidth + "s  %" + valueWidth + "s  %s";
        out.println(String.format(row, "metric", "value", "unit"));
        for (int i = 0; i < metrics.size(); i++) {
            out.println(String.format(row, names.get(i), values.get(i), metrics.get(i).unit().symbol()));
        }
    }

    private static String plain(double v) {
        String s = BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
        return s.equals("-0") ? "0" : s;
    }
}
