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
import dev.lb.results.ParsedResult;
import dev.lb.results.ResultParseException;
import dev.lb.results.ResultParser;
import dev.lb.results.ResultParsers;
import java.nio.file.Path;

/**
 * After a repetition of a workload that has numbers, exactly one {@code type: result} event: the metrics, or
 * {@code error_type: result_unparsed} with what was wrong. A repetition that did not end {@code done} has no result
 * worth reading (a stopped tool's file is partial), and says so rather than passing part of one off as whole.
 */
final class ResultEvent {
    static final String UNPARSED = "result_unparsed";
    private static final JsonNodeFactory NODES = Json.MAPPER.getNodeFactory();

    private final Emitter emitter;
    private final String src;
    private final Path workingDir;

    ResultEvent(Emitter emitter, String src, Path workingDir) {
        this.emitter = emitter;
        this.src = src;
        this.workingDir = workingDir;
    }

    void emit(ResultSource source, Outcome outcome, OutputCopy copy) {
        if (outcome.status() != EventStatus.DONE) {
            unparsed(parserName(source), "no result: the repetition ended " + outcome.status().wireName()
                    + (outcome.reason() == null ? "" : " (" + outcome.reason() + ")"));
            return;
        }
        if (copy != null && copy.incomplete() != null) {
            unparsed(parserName(source), "the output was not copied whole for the parser: " + copy.incomplete());
            return;
        }
        try {
            ParsedResult result = parse(source);
            ArrayNode metrics = NODES.arrayNode();
            for (Metric m : result.metrics()) {
                metrics.addObject().put("name", m.name()).put("value", m.value()).put("unit", m.unit().symbol());
            }
            emitter.emit(src, EventStatus.RUNNING, b -> b.type(EventType.RESULT)
                    .message(result.parser() + ": " + result.metrics().size() + " metrics")
                    .extra("parser", NODES.textNode(result.parser())).extra("metrics", metrics));
        } catch (ResultParseException e) {
            unparsed(parserName(source), e.getMessage());
        }
    }

    private ParsedResult parse(ResultSource source) throws ResultParseException {
        if (source instanceof ResultSource.ToolFile f) {
            return parser(f.parser()).parse(f.file());
        }
        if (source instanceof ResultSource.ToolOutput o) {
            return parser(o.parser()).parse(o.copy());
        }
        ResultSource.Declared d = (ResultSource.Declared) source;
        try {
            return new DeclaredResults(DeclaredMetric.listFromJson(d.declarationJson()), workingDir).extract(d.copy());
        } catch (IllegalArgumentException e) {
            throw new ResultParseException(e.getMessage()); // checked at the start; here only if it changed since
        }
    }

    private static ResultParser parser(String name) throws ResultParseException {
        return ResultParsers.named(name).orElseThrow(() -> new ResultParseException("no parser named " + name));
    }

    private static String parserName(ResultSource source) {
        if (source instanceof ResultSource.ToolFile f) {
            return f.parser();
        }
        return source instanceof ResultSource.ToolOutput o ? o.parser() : DeclaredResults.PARSER;
    }

    private void unparsed(String parser, String reason) {
        emitter.emit(src, EventStatus.RUNNING, b -> b.type(EventType.RESULT).level(EventLevel.WARNING)
                .message(parser + " result unparsed: " + reason).error(UNPARSED, null)
                .extra("parser", NODES.textNode(parser)));
    }
}
