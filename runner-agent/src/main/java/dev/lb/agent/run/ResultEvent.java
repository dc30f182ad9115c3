package dev.lb.agent.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.lb.agent.stream.Emitter;
import dev.lb.protocol.EventLevel;
import dev.lb.protocol.EventStatus;
import dev.lb.protocol.EventType;
import dev.lb.protocol.Json;
import dev.lb.results.DeclaredMetric;
import dev.lb.results.DeclaredResults;
import dev.lb.results.Metric;
import dev.lb.results.MetricsJson;
import dev.lb.results.ParsedResult;
import dev.lb.results.ResultParseException;
import dev.lb.results.ResultParser;
import dev.lb.results.ResultParsers;
import dev.lb.results.WallTime;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * After a repetition of a workload that has numbers, exactly one {@code type: result} event: the metrics, or
 * {@code error_type: result_unparsed} with what was wrong. A repetition that did not end {@code done} has no result
 * worth reading (a stopped tool's file is partial), and says so rather than passing part of one off as whole.
 */
final class ResultEvent {
    private static final JsonNodeFactory NODES = Json.MAPPER.getNodeFactory();
    /** How many metrics the event's message names; all of them are in its {@code metrics}. */
    private static final int SHOWN = 3;

    private final Emitter emitter;
    private final String src;
    private final Path workingDir;
    private final Instant repetitionStart;

    ResultEvent(Emitter emitter, String src, Path workingDir, Instant repetitionStart) {
        this.emitter = emitter;
        this.src = src;
        this.workingDir = workingDir;
        this.repetitionStart = repetitionStart;
    }

    /**
     * Emits the result event; returns the result when there was one to parse. {@code wallTime}: how long the workload
     * process ran, reported for a command workload (null when it was not measured).
     */
    Optional<ParsedResult> emit(ResultSource source, Outcome outcome, OutputCopy copy, Duration wallTime) {
        if (outcome.status() != EventStatus.DONE) {
            unparsed(parserName(source), "no result: the repetition ended " + outcome.status().wireName()
                    + (outcome.reason() == null ? "" : " (" + outcome.reason() + ")"));
            return Optional.empty();
        }
        if (copy != null && copy.incomplete() != null) {
            unparsed(parserName(source), "the output was not copied whole for the parser: " + copy.incomplete());
            return Optional.empty();
        }
        try {
            ParsedResult result = parse(source, wallTime);
            ArrayNode metrics = MetricsJson.array(result.metrics());
            emitter.emit(src, EventStatus.RUNNING, b -> b.type(EventType.RESULT)
                    .message(summary(result))
                    .extra("parser", NODES.textNode(result.parser())).extra("metrics", metrics));
            return Optional.of(result);
        } catch (ResultParseException e) {
            unparsed(parserName(source), e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            // A parser's bug or a user's runaway regex must not cost the repetition its final event.
            unparsed(parserName(source), "the parser failed: " + e);
        }
        return Optional.empty();
    }

    /** {@code stress-ng: 4 metrics (cpu.bogo_ops 41230 ops, ...)}: the first numbers, readable in the live view. */
    static String summary(ParsedResult result) {
        List<Metric> m = result.metrics();
        StringBuilder s = new StringBuilder(result.parser()).append(": ").append(m.size())
                .append(m.size() == 1 ? " metric" : " metrics");
        for (int i = 0; i < Math.min(SHOWN, m.size()); i++) {
            s.append(i == 0 ? " (" : ", ").append(m.get(i).name()).append(' ')
                    .append(new BigDecimal(m.get(i).value()).round(new MathContext(4)).stripTrailingZeros()
                            .toPlainString()).append(' ').append(m.get(i).unit().symbol());
        }
        return s.append(m.isEmpty() ? "" : m.size() > SHOWN ? ", ...)" : ")").toString();
    }

    private ParsedResult parse(ResultSource source, Duration wallTime) throws ResultParseException {
        if (source instanceof ResultSource.ToolFile f) {
            return parser(f.parser()).parse(f.file());
        }
        if (source instanceof ResultSource.ToolOutput o) {
            return parser(o.parser()).parse(o.copy());
        }
        ResultSource.Command c = (ResultSource.Command) source;
        if (wallTime == null) {
            throw new ResultParseException("the workload's wall time was not measured");
        }
        List<Metric> metrics = new ArrayList<>();
        if (c.declarationJson() != null) {
            metrics.addAll(declared(c).metrics());
        }
        metrics.add(WallTime.of(wallTime));
        return new ParsedResult(parserName(source), metrics);
    }

    private ParsedResult declared(ResultSource.Command c) throws ResultParseException {
        try {
            List<DeclaredMetric> declared = DeclaredMetric.listFromJson(c.declarationJson());
            for (DeclaredMetric m : declared) {
                if (m.file() != null) {
                    notStale(workingDir.resolve(m.file()), m.name());
                }
            }
            return new DeclaredResults(declared, workingDir).extract(c.copy());
        } catch (IllegalArgumentException e) {
            throw new ResultParseException(e.getMessage()); // checked at the start; here only if it changed since
        }
    }

    /** A file left by an earlier repetition would pass its number off as this one's. */
    private void notStale(Path file, String metric) throws ResultParseException {
        try {
            if (Files.exists(file) && Files.getLastModifiedTime(file).toInstant()
                    .isBefore(repetitionStart.truncatedTo(ChronoUnit.SECONDS))) {
                throw new ResultParseException(file + ": not written during this repetition (declared metric '"
                        + metric + "'); an earlier repetition's number would be counted again");
            }
        } catch (IOException e) {
            throw new ResultParseException(file + ": cannot read its modification time: " + e.getMessage());
        }
    }

    private static ResultParser parser(String name) throws ResultParseException {
        return ResultParsers.named(name).orElseThrow(() -> new ResultParseException("no parser named " + name));
    }

    private static String parserName(ResultSource source) {
        if (source instanceof ResultSource.ToolFile f) {
            return f.parser();
        }
        if (source instanceof ResultSource.ToolOutput o) {
            return o.parser();
        }
        return ((ResultSource.Command) source).declarationJson() == null ? WallTime.METRIC : DeclaredResults.PARSER;
    }

    private void unparsed(String parser, String reason) {
        emitter.emit(src, EventStatus.RUNNING, b -> b.type(EventType.RESULT).level(EventLevel.WARNING)
                .message(parser + " result unparsed: " + reason).error(ResultParseException.ERROR_TYPE, null)
                .extra("parser", NODES.textNode(parser)));
    }
}
