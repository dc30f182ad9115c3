package dev.lb.controller.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The report page: the template {@code report/report.html.mustache} with the page's data inlined as JSON, and its
 * styles and scripts (uPlot from its webjar, the page's own) inlined too, so the file opens anywhere and makes no
 * network request. The page builds every table and chart from the data in the browser, as text, never as markup.
 */
public final class HtmlReport {
    static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";
    private static final Pattern CLOSES_SCRIPT = Pattern.compile("(?i)</script|<!--");
    private static final Pattern CLOSES_STYLE = Pattern.compile("(?i)</style");

    private final Mustache template;
    private final String styles;
    private final String scripts;

    /** The script that draws a history series, one definition for lb report's history section and lb history report. */
    public static final String HISTORY_CHART = "report/history-chart.js";

    public HtmlReport() {
        this("report.html.mustache", HISTORY_CHART, "report/report.js");
    }

    /**
     * Another page on the same styles and uPlot: its template under report/ and its scripts, in order (lb history
     * report: {@link #HISTORY_CHART} and its own).
     */
    public HtmlReport(String template, String... scripts) {
        this.template = new DefaultMustacheFactory("report").compile(template);
        styles = checked(resource(UPLOT + "uPlot.min.css") + "\n" + resource("report/report.css"), CLOSES_STYLE);
        StringBuilder code = new StringBuilder(resource(UPLOT + "uPlot.iife.min.js"));
        for (String script : scripts) {
            code.append('\n').append(resource(script));
        }
        this.scripts = checked(code.toString(), CLOSES_SCRIPT);
    }

    /** The page for {@code data} with this title. */
    public String render(String title, JsonNode data) {
        StringWriter out = new StringWriter();
        template.execute(out, Map.of("title", title, "styles", styles, "scripts", scripts,
                "data", ScriptSafeJson.write(data)));
        return out.toString();
    }

    /** The page for {@code data} (from {@link ReportData}); its title names the run. */
    public String render(JsonNode data) {
        StringWriter out = new StringWriter();
        template.execute(out, Map.of(
                "title", "lb report: " + data.path("run_id").asText(),
                "styles", styles,
                "scripts", scripts,
                "data", ScriptSafeJson.write(data)));
        return out.toString();
    }

    private static String resource(String name) {
        try (InputStream in = HtmlReport.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing on the classpath: " + name + " (a broken build of lb)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name + " from the classpath", e);
        }
    }

    /** Inlined code must not end its own element; a library update that did so would break the page silently. */
    private static String checked(String text, Pattern forbidden) {
        if (forbidden.matcher(text).find()) {
            throw new IllegalStateException("inlined code contains " + forbidden.pattern() + "; cannot inline it");
        }
        return text;
    }
}
