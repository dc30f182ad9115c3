package dev.lb.controller.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.controller.history.RunHistorySection;
import dev.lb.history.store.StoreLocation;
import dev.lb.protocol.Json;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The report as a person sees it: written from a run directory, opened from file:// in headless Chromium with the
 * network off. No console errors, no request but the file itself, every chart drawn, the table showing the numbers of
 * results.json, text from the targets shown as text, and the run among its last runs from the history store.
 */
class ReportInBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    static Path runs;

    static ChromeDriver browser;
    static List<LogEntry> consoleAtLoad;

    @BeforeAll
    static void openTheReport() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER), "the report's browser test needs"
                + " Debian's chromium and its driver at " + CHROMIUM + " and " + CHROMEDRIVER
                + ": apt-get install -y chromium chromium-driver");
        Path dir = ReportFixture.writeRun(runs, "r1");
        StoreLocation store = ReportHistoryFixture.record(runs);
        Path report = RunReport.write(dir, Json.MAPPER.readTree(ReportFixture.RESULTS), ReportFixture.comparison(),
                Json.MAPPER.readTree(ReportFixture.BASE_RESULTS), RunHistorySection.read(store, "r1"),
                Instant.parse("2026-12-01T04:00:00Z"), "test", w -> { });

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,900",
                // The network off: any request would go to a closed port on loopback, and no name resolves.
                "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>", "--host-resolver-rules=MAP * ~NOTFOUND",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-default-apps");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        // The first screen of a laptop, exactly 1280 x 800 CSS pixels: what a reader sees before scrolling.
        browser.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", 1280, "height", 800,
                "deviceScaleFactor", 1, "mobile", false));
        browser.get(report.toUri().toString());
        consoleAtLoad = browser.manage().logs().get(LogType.BROWSER).getAll();
        Files.write(Path.of("target", "report-first-screen.png"), browser.getScreenshotAs(OutputType.BYTES));
        headlineBottom = ((Number) js("return document.querySelector('#headline table').getBoundingClientRect().bottom;"))
                .doubleValue();
        viewportHeight = ((Number) js("return window.innerHeight;")).doubleValue();
        // The rest of the page as a reader who opens every fold sees it.
        browser.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", 1280, "height", 4500,
                "deviceScaleFactor", 1, "mobile", false));
        js("document.querySelectorAll('details').forEach(function (d) { d.open = true; });");
        Files.write(Path.of("target", "report-in-browser.png"), browser.getScreenshotAs(OutputType.BYTES));
        Files.write(Path.of("target", "report-history-section.png"), browser.findElement(By.id("history"))
                .getScreenshotAs(OutputType.BYTES));
    }

    static double headlineBottom;
    static double viewportHeight;

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.quit();
        }
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    @Test
    void theConsoleHasNoErrors() {
        List<String> severe = consoleAtLoad.stream().filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).collect(Collectors.toList());
        assertEquals(List.of(), severe);
    }

    @Test
    void nothingIsRequestedButTheFileItself() {
        assertEquals(0L, js("return performance.getEntriesByType('resource').length;"),
                String.valueOf(js("return JSON.stringify(performance.getEntriesByType('resource'))")));
        assertEquals(List.of(browser.getCurrentUrl()), js("return performance.getEntriesByType('navigation')"
                + ".map(function (e) { return e.name; });"));
    }

    @Test
    void theTitleNamesTheRun() {
        assertEquals("lb report: r1", browser.getTitle());
    }

    @Test
    void everyChartIsDrawn() {
        // Two result metrics, and per host four units of system metrics (%, MiB, count, B/s).
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> canvases = (List<Map<String, Object>>) js("""
                return Array.from(document.querySelectorAll('.chart canvas')).map(function (c) {
                  var px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                  var painted = 0, firstSeries = 0;
                  for (var i = 0; i < px.length; i += 4) {
                    if (px[i + 3] > 0) { painted++; }
                    // The first series' colour, #1f77b4, as drawn (antialiased edges aside).
                    if (Math.abs(px[i] - 31) < 12 && Math.abs(px[i + 1] - 119) < 12 && Math.abs(px[i + 2] - 180) < 12
                        && px[i + 3] > 200) { firstSeries++; }
                  }
                  var title = c.closest('.uplot').querySelector('.u-title');
                  return { title: title ? title.textContent : '', width: c.width, height: c.height,
                           painted: painted, firstSeries: firstSeries };
                });""");
        assertEquals(10, canvases.size(), canvases.toString());
        assertEquals(List.of("cpu: cpu.bogo_ops_per_s_real", "disk: fio.read_lat_mean", "web-1: CPU (%)",
                "web-1: Memory", "web-1: Load", "web-1: Disk and network", "web-2: CPU (%)",
                "web-2: Memory", "web-2: Load", "web-2: Disk and network"),
                canvases.stream().map(c -> c.get("title")).toList());
        for (Map<String, Object> c : canvases) {
            assertTrue(((Number) c.get("width")).longValue() > 0 && ((Number) c.get("height")).longValue() > 0, c.toString());
            assertTrue(((Number) c.get("painted")).longValue() > 1000, "axes and grid drawn: " + c);
            assertTrue(((Number) c.get("firstSeries")).longValue() > 5, "the first series drawn (a single point at least): " + c);
        }
    }

    private static List<String> cells(WebElement row) {
        List<String> out = new ArrayList<>();
        for (WebElement td : row.findElements(By.tagName("td"))) {
            out.add(td.getText());
        }
        return out;
    }

    @Test
    void theResultsTableShowsTheNumbersOfResultsJson() {
        List<WebElement> rows = browser.findElements(By.cssSelector("#results table:first-of-type tbody tr"));
        assertEquals(3, rows.size());
        assertEquals(List.of("web-1", "cpu", "cpu.bogo_ops_per_s_real \u2191", "1,235 \u00b1 12.35 ops/s", "1,230",
                "1,251", "1,222", "1,251", "3", "1.0 %", ""), cells(rows.get(0)));
        assertEquals(List.of("web-2", "cpu", "cpu.bogo_ops_per_s_real \u2191", "1,100 \u00b1 210.9 ops/s", "1,001",
                "1,320", "980.2", "1,340", "3", "19.2 %", "rep 3: 1,340 (mad)"), cells(rows.get(1)));
        assertEquals(List.of("web-1", "disk", "fio.read_lat_mean \u2193", "4.568 ms", "4.568", "4.568", "4.568",
                "4.568", "1", "\u2014", ""), cells(rows.get(2)), "n = 1: no stdev, no cv");
        assertEquals("outlier-row", rows.get(1).getAttribute("class"));
        assertEquals("right", rows.get(0).findElement(By.cssSelector("td[data-field=mean]")).getCssValue("text-align"));
    }

    @Test
    void adaptiveRepetitionsSayWhereEachHostStopped() {
        String results = browser.findElement(By.id("results")).getText();
        assertTrue(results.contains("Adaptive repetitions: where each host stopped"), results);
        assertTrue(results.contains("cv of cpu.bogo_ops_per_s_real 0.0041 <= 0.05 over 3 repetitions"), results);
    }

    @Test
    void theSummaryShowsStateEventsGapsAndRejections() {
        List<WebElement> state = browser.findElements(By.cssSelector("#summary table:nth-of-type(2) tbody tr"));
        assertEquals(List.of("web-1", "disk", "done", "failed", "done", "done", "40"), cells(state.get(1)));
        assertEquals("state-failed", state.get(1).findElements(By.tagName("td")).get(3).getAttribute("class").trim());
        String summary = browser.findElement(By.id("summary")).getText();
        assertTrue(summary.contains("accepted 412"), summary);
        assertTrue(summary.contains("Sequence gaps (1)") && summary.contains("web-2 disk 3 agent 17\u201319"), summary);
        assertTrue(summary.contains("Rejected lines (2)") && summary.contains("foreign_host 2"), summary);
    }

    @Test
    void theSystemsAreATableWithTheHostsAsColumnsAndTheSummarysWarningsAbove() {
        WebElement section = browser.findElement(By.id("machines"));
        assertEquals(List.of("", "web-1", "web-2"), section.findElements(By.tagName("th")).stream()
                .map(WebElement::getText).toList());
        List<WebElement> rows = section.findElements(By.cssSelector("tbody tr"));
        assertEquals(List.of("CPU model", "AMD EPYC 7763", ReportFixture.HOSTILE_EXAMPLE), cells(rows.get(0)));
        assertEquals(List.of("logical cores", "4", "8"), cells(rows.get(1)));
        assertEquals(List.of("governor", "performance", "\u2014"), cells(rows.get(3)));
        assertEquals(List.of("kernel", "6.1.0-13-amd64", "6.6.0-1-amd64"), cells(rows.get(5)));
        String text = section.getText();
        assertTrue(text.contains("web-2: its clock is +250.0 ms off the controller's"), text);
        assertTrue(text.contains("web-2: cpu.governor not read: no such file"), text);
    }

    @Test
    void theHeadlineTableLeadsThePageInTheFirstScreen() {
        assertEquals(800.0, viewportHeight, "a 1280 x 800 first screen");
        assertTrue(headlineBottom <= viewportHeight, "the headline ends at " + headlineBottom + " px, within the first"
                + " screen of " + viewportHeight + " px");
        List<WebElement> rows = browser.findElements(By.cssSelector("#headline tbody tr"));
        assertEquals(3, rows.size(), "each workload's primary metric per host");
        // web-1: mean 1234.57, values 1222.1, 1230.25, 1251.3: stdev 15.06, t(0.975, 2) = 4.303: 1197 to 1272.
        assertEquals(List.of("cpu", "web-1", "cpu.bogo_ops_per_s_real \u2191", "1,235 ops/s", "1,197 \u2013 1,272 ops/s",
                "3", "1.0 %", "ok"), cells(rows.get(0)));
        assertEquals("\u26a0 outlier counted: repetition 3 (mad)", cells(rows.get(1)).get(7), "the trust mark says why");
        assertEquals(List.of("disk", "web-1", "fio.read_lat_mean \u2193", "4.568 ms", "one value: none", "1", "\u2014",
                "ok"), cells(rows.get(2)));
    }

    @Test
    void chartsStartAtZeroNameTheirUnitAndShowNoEmptyLegend() {
        assertEquals(true, js("return window.lbCharts.length === 10 && window.lbCharts.every(function (c) {"
                + " return c.scales.y.min <= 0; });"), "every y axis starts at zero or below");
        String legends = (String) js("return Array.from(document.querySelectorAll('.u-legend'))"
                + ".map(function (l) { return l.textContent; }).join(' | ');");
        assertTrue(!legends.contains("--"), "no empty hover values in a static view: " + legends);
        assertEquals(List.of("ops/s", "ms", "%", "GiB", "count", "KiB/s"), js("return window.lbCharts.slice(0, 6)"
                + ".map(function (c) { return c.axes[1].label; });"), "memory and rates scaled: up to 1,280 MiB is read"
                + " in GiB, up to 8,000 B/s in KiB/s");
    }

    @Test
    void theComparisonLeadsWithItsVerdictsAndAChartOfBaseAgainstNew() {
        WebElement verdicts = browser.findElement(By.cssSelector("#comparison table.verdicts"));
        List<WebElement> rows = verdicts.findElements(By.cssSelector("tbody tr"));
        assertEquals(2, rows.size(), "the primary rows: web-1 and all hosts");
        assertEquals(List.of("cpu", "web-1", "cpu.bogo_ops_per_s_real \u2191", "1,100 ops/s (n=3)", "1,235 ops/s (n=3)",
                "+12.23 %", "[+80.5 ops/s, +188.6 ops/s] at 97.5 %", "0.0042", "better"), cells(rows.get(0)));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> charts = (List<Map<String, Object>>) js("""
                return Array.from(document.querySelectorAll('.cmp-chart')).map(function (b) {
                  var c = b.querySelector('canvas'), px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                  var painted = 0;
                  for (var i = 3; i < px.length; i += 4) { if (px[i] > 0) { painted++; } }
                  return { title: b.querySelector('.title').textContent, painted: painted };
                });""");
        assertEquals(1, charts.size(), charts.toString());
        assertEquals("cpu: cpu.bogo_ops_per_s_real \u2191", charts.get(0).get("title"));
        assertTrue(((Number) charts.get(0).get("painted")).longValue() > 2000, charts.toString());
    }

    @Test
    void theSystemDifferencesFollowTheVerdicts() {
        List<WebElement> heads = browser.findElements(By.cssSelector("#comparison h3"));
        assertEquals(List.of("System differences"), heads.stream().map(WebElement::getText).toList());
        WebElement diff = browser.findElement(By.xpath("//section[@id='comparison']/h3[.='System differences']"
                + "/following-sibling::table[1]"));
        assertEquals(List.of("web-1", "kernel", "6.1.0-13-amd64", "6.6.0-1-amd64"),
                cells(diff.findElements(By.cssSelector("tbody tr")).get(0)));
    }

    @Test
    void everyRowComparedIsUnderDetailsOneTablePerMetricWithAVerdictPerPrimaryRow() {
        List<WebElement> heads = browser.findElements(By.cssSelector("#comparison-all h3"));
        assertEquals(List.of("cpu: cpu.bogo_ops_per_s_real \u2191", "disk: fio.read_lat_mean \u2193"),
                heads.stream().map(WebElement::getText).toList());
        assertEquals(List.of("host", "base mean", "new mean", "change", "CI of difference", "Hedges\u2019 g", "test", "p",
                "verdict"), browser.findElements(By.cssSelector("#comparison-all .wide table"))
                .get(0).findElements(By.tagName("th")).stream().map(WebElement::getText).toList());
        List<WebElement> rows = browser.findElements(By.cssSelector("#comparison-all .wide tbody tr"));
        assertEquals(3, rows.size());
        assertEquals(List.of("web-1", "1,100 ops/s (n=3)", "1,235 ops/s (n=3)", "+12.23 %",
                "[+80.5 ops/s, +188.6 ops/s] at 97.5 %", "2.31", "Welch t", "0.0021", "better"), cells(rows.get(0)));
        assertEquals(List.of("all hosts", "1,150 ops/s (n=6)", "1,167 ops/s (n=6)", "+1.513 %",
                "[-95.2 ops/s, +130.2 ops/s] at 97.5 %", "0.1", "Welch t", "0.41", "no change"), cells(rows.get(1)),
                "not significant after Holm: lb compare's ~");
        assertEquals(List.of("web-1", "5 ms (n=1)", "4.568 ms (n=1)", "-8.642 %", "\u2014", "\u2014", "\u2014", "\u2014",
                "\u2014"), cells(rows.get(2)), "not a primary metric: no verdict, and no q-value without a test");
        assertEquals("verdict-better", rows.get(0).findElements(By.tagName("td")).get(8).getAttribute("class").trim());
        String section = browser.findElement(By.id("comparison")).getText();
        assertTrue(section.contains("Base run r0, this run r1; Welch\u2019s t-test, alpha 0.05."), section);
        assertTrue(section.contains("the confidence interval of the difference of means in the metric\u2019s unit, at"
                + " the level the row was judged at"), section);
        Number pageWidth = (Number) js("return document.documentElement.scrollWidth;");
        Number windowWidth = (Number) js("return window.innerWidth;");
        assertTrue(pageWidth.longValue() <= windowWidth.longValue(), "nothing wider than the window: " + pageWidth);
    }

    @Test
    void textFromTheTargetsIsShownAsText() {
        assertEquals(null, js("return window.pwned;"), "no script of the data ran");
        assertEquals(0L, js("return document.querySelectorAll('img, #summary b, #results b').length;"));
        assertEquals(ReportFixture.HOSTILE_REASON, js("return Array.from(document.querySelectorAll('#results td'))"
                + ".map(function (td) { return td.textContent; }).filter(function (t) { return t.indexOf('onerror') >= 0; })[0];"));
        String summary = browser.findElement(By.id("summary")).getText();
        assertTrue(summary.contains(ReportFixture.HOSTILE_EXAMPLE), summary);
        assertTrue(summary.contains(ReportFixture.HOSTILE_NOT_DONE), summary);
    }

    @Test
    void unreadableJournalLinesAreShown() {
        String system = browser.findElement(By.id("system")).getText();
        assertTrue(system.contains("2 unreadable journal line(s) skipped:"), system);
        assertTrue(system.contains("journal.jsonl:7: metric event without a numeric ts"), system);
    }

    @Test
    void theHistorySectionFollowsTheHeadlineAndTheComparisonAndPrecedesTheFoldedDetails() {
        assertEquals(List.of("headline", "comparison", "history", "results-details"), js("""
                return ['headline', 'comparison', 'history', 'results-details'].map(function (id) {
                  return document.getElementById(id); }).sort(function (a, b) {
                  return a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
                }).map(function (e) { return e.id; });"""));
        assertEquals("details", js("return document.querySelectorAll('#history ~ details')[0].tagName.toLowerCase();"));
        assertEquals(0L, js("return document.querySelectorAll('details #history, details .history-series').length;"),
                "not folded");
    }

    @Test
    void theHistorySectionDrawsEachSeriesOverItsLast30RunsUpToThisOne() {
        // The page's data: three series, each the 29 runs before r1 and r1 (not the run after it).
        assertEquals(3L, js("return JSON.parse(document.getElementById('lb-data').textContent).history.series.length;"));
        assertEquals(List.of("c5", "c-r1"), js("var r = JSON.parse(document.getElementById('lb-data').textContent)"
                + ".history.series[0].runs; return [r[0].labels.commit, r[29].labels.commit];"), "labels for the tooltip");
        assertEquals(List.of("web-1 \u00d7 cpu \u00d7 cpu.bogo_ops_per_s_real (ops/s) \u2191",
                        "web-1 \u00d7 disk \u00d7 fio.read_lat_mean (ms) \u2193",
                        "web-2 \u00d7 cpu \u00d7 cpu.bogo_ops_per_s_real (ops/s) \u2191"),
                js("return Array.from(document.querySelectorAll('#history .history-series h3'))"
                        + ".map(function (h) { return h.textContent; });"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> charts = (List<Map<String, Object>>) js("""
                return window.lbHistoryCharts.map(function (u, k) {
                  var s = JSON.parse(document.getElementById('lb-data').textContent).history.series[k];
                  var c = u.ctx.canvas, px = u.ctx.getImageData(0, 0, c.width, c.height).data;
                  var red = 0, whisker = 0, marked = 0;
                  for (var i = 0; i < px.length; i += 4) {
                    if (px[i] > 200 && px[i + 1] < 60 && px[i + 2] < 60 && px[i + 3] > 200) { red++; }
                    if (Math.abs(px[i] - 107) < 10 && Math.abs(px[i + 1] - 174) < 10 && Math.abs(px[i + 2] - 214) < 10) { whisker++; }
                    // This run's column: rgba(255, 200, 0, 0.25) on the transparent canvas.
                    if (px[i] > 240 && Math.abs(px[i + 1] - 200) < 20 && px[i + 2] < 40 && px[i + 3] > 0) { marked++; }
                  }
                  return { points: u.data[0].length, counted: u.data[1].filter(function (v) { return v !== null; }).length,
                           excluded: u.data[2].filter(function (v) { return v !== null; }).length,
                           first: s.runs[0].run_id, last: s.runs[s.runs.length - 1].run_id,
                           excludedRun: s.runs[u.data[2].findIndex(function (v) { return v !== null; })].run_id,
                           red: red, whisker: whisker, marked: marked, inSection: !!c.closest('#history') };
                });""");
        assertEquals(3, charts.size(), charts.toString());
        for (Map<String, Object> c : charts) {
            assertEquals(30L, c.get("points"), "the last 30 runs: " + c);
            assertEquals(29L, c.get("counted"), c.toString());
            assertEquals(1L, c.get("excluded"), c.toString());
            assertEquals(ReportHistoryFixture.EXCLUDED, c.get("excludedRun"), "greyed: " + c);
            assertEquals("e05", c.get("first"), c.toString());
            assertEquals("r1", c.get("last"), "up to this run, not the run after it: " + c);
            assertEquals(true, c.get("inSection"));
            assertTrue(((Number) c.get("red")).longValue() > 50, "the change point at e12 drawn: " + c);
            assertTrue(((Number) c.get("marked")).longValue() > 200, "this run's column drawn: " + c);
        }
        assertTrue(((Number) charts.get(0).get("whisker")).longValue() > 20, "whiskers of three values drawn: "
                + charts.get(0));
    }

    @Test
    void theHistorySectionSaysTheChangePointsAndTheGatesVerdictOnThisRun() {
        List<String> facts = browser.findElements(By.cssSelector("#history .history-facts")).stream()
                .map(WebElement::getText).toList();
        assertEquals(3, facts.size(), facts.toString());
        for (String f : facts) {
            assertTrue(f.startsWith("30 of the series\u2019 36 runs shown; change points: e12 +"), f);
        }
        // Throughput rose at e12 (better): the gate starts there and r1 is within the 20 runs since. Latency rose
        // (worse): that never resets the gate, so r1 is judged against the 12 runs before it: a regression.
        assertTrue(facts.get(0).contains("% better; lb history check: within (band "), facts.get(0));
        assertTrue(facts.get(0).endsWith(" ops/s from 20 earlier runs)"), facts.get(0));
        assertTrue(facts.get(1).contains("% worse; lb history check: regression (band "), facts.get(1));
        assertTrue(facts.get(1).endsWith(" ms from 12 earlier runs)"), facts.get(1));
        assertTrue(facts.get(2).contains("% better; lb history check: within (band "), facts.get(2));
        String intro = browser.findElement(By.id("history")).findElement(By.cssSelector("p.note")).getText();
        assertTrue(intro.startsWith("From " + runs.resolve("history.db").toAbsolutePath().normalize() + ": each series"
                + " of this run over its last 30 runs up to this one"), intro);
    }

    static File screenshotFile() {
        return Path.of("target", "report-in-browser.png").toFile();
    }
}
