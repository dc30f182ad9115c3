package dev.lb.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.history.testing.TestRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/** lb history report opened in headless Chromium (network off): charts drawn, change points and regressions listed. */
class HistoryReportInBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path runs;

    @Test
    void theReportDrawsEachSeriesAndListsItsChangePointsAndRegressions() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "needs Debian's chromium and chromium-driver");
        double[] levels = {100.2, 99.1, 100.8, 99.6, 100.4, 98.9, 100.1, 101.0, 80.1, 80.6, 79.8, 80.3, 80.0, 80.4};
        for (int i = 0; i < levels.length; i++) {
            TestRuns.write(runs, "r" + String.format("%02d", i), 1000 + i * 100, levels[i] * 0.99, levels[i],
                    levels[i] * 1.01);
        }
        List<String> at = List.of("--output-dir", runs.toString());
        assertEquals(0, run(at, "history", "import", "--all", "--label", "commit=abc").exitCode());
        assertEquals(4, run(at, "history", "check", "r08").exitCode());
        assertEquals(0, run(at, "history", "exclude", "r03", "--reason", "noisy neighbour").exitCode());
        Path page = runs.resolve("h.html");
        CliRun report = run(at, "history", "report", "-o", page.toString());
        assertEquals(0, report.exitCode(), report.err());
        assertTrue(report.out().startsWith("history: "), report.out());
        String html = Files.readString(page);
        assertTrue(!html.contains("src=\"http") && !html.contains("href=\"http"), "self-contained");

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,900", "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                "--host-resolver-rules=MAP * ~NOTFOUND", "--no-first-run", "--disable-background-networking");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriver browser = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build(), options);
        try {
            browser.get(page.toUri().toString());
            List<LogEntry> console = browser.manage().logs().get(LogType.BROWSER).getAll();
            assertTrue(console.stream().noneMatch(e -> e.getLevel().intValue() >= Level.WARNING.intValue()),
                    console.toString());
            assertEquals(1L, ((JavascriptExecutor) browser).executeScript(
                    "return document.querySelectorAll('.history-series .uplot').length;"));
            // Drawn by history-chart.js, as lb report's history section: every run a point, r03 excluded (grey).
            assertEquals(List.of(14L, 13L, 1L), ((JavascriptExecutor) browser).executeScript("var u ="
                    + " window.lbHistoryCharts[0]; function n(a) { return a.filter(function (v) { return v !== null;"
                    + " }).length; } return [u.data[0].length, n(u.data[1]), n(u.data[2])];"));
            String events = browser.findElement(By.id("events")).getText();
            assertTrue(events.contains("change point r08") && events.contains("worse"), events);
            assertTrue(events.contains("regression (lb history check) r08"), events);
            assertTrue(browser.findElement(By.id("meta")).getText().contains("1 series"));
        } finally {
            browser.quit();
        }
    }

    private static CliRun run(List<String> at, String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(at);
        return CliRun.withEnv(Map.of(), "", all.toArray(String[]::new));
    }
}
