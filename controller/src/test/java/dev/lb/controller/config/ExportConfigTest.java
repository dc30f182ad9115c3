package dev.lb.controller.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code export:} group of the config and {@code --export KIND=URL}. */
class ExportConfigTest {
    private static final String BASE = """
            targets: {hosts: [{name: a, connection: local}]}
            workloads: [{name: w, argv: [true]}]
            """;

    private static RunConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse("test.yaml", yaml, Path.of("/base"));
    }

    private static List<String> problems(String yaml) {
        return assertThrows(ConfigException.class, () -> parse(yaml)).problems();
    }

    @Test
    void noExportByDefault() throws Exception {
        assertEquals(RunConfig.Export.NONE, parse(BASE).export());
    }

    @Test
    void everyKeyIsRead() throws Exception {
        RunConfig.Export e = parse(BASE + """
                export:
                  remote_write: http://127.0.0.1:9090/api/v1/write
                  pushgateway: http://127.0.0.1:9091
                  loki: https://loki.example:3100/loki/api/v1/push
                  queue_items: 5000
                  batch_items: 100
                  retry_s: 12
                  flush_s: 4.5
                  loki_samples: false
                  prometheus: {listen: "0.0.0.0:9464"}
                """).export();
        assertEquals(List.of(
                new RunConfig.Endpoint("remote-write", URI.create("http://127.0.0.1:9090/api/v1/write")),
                new RunConfig.Endpoint("pushgateway", URI.create("http://127.0.0.1:9091")),
                new RunConfig.Endpoint("loki", URI.create("https://loki.example:3100/loki/api/v1/push"))), e.endpoints());
        assertEquals(new RunConfig.Export(e.endpoints(), 5000, 100, 12, 4.5, false, "0.0.0.0:9464"), e);
    }

    @Test
    void problemsNameTheKeyPathAndLine() {
        List<String> p = problems(BASE + """
                export:
                  remote_writes: http://x/api/v1/write
                  loki: ftp://x/push
                  pushgateway: not a url
                  flush_s: -1
                """);
        assertEquals(List.of(
                "export.remote_writes (line 4): unknown key; did you mean 'remote_write'? expected one of [batch_items,"
                        + " flush_s, loki, loki_samples, prometheus, pushgateway, queue_items, remote_write, retry_s]",
                "export.pushgateway (line 6): 'not a url' is not a URL: Illegal character in path",
                "export.loki (line 5): 'ftp://x/push' is not an http:// or https:// URL with a host",
                "export.flush_s (line 7): is -1; expected a number from 0 to 600"), p);
    }

    @Test
    void commandLineEndpointsAreKindEqualsUrl() throws Exception {
        RunConfig c = parse(BASE + "export: {loki: 'http://l:3100/loki/api/v1/push'}\n")
                .withMoreExports(List.of(RunConfig.Export.parse("pushgateway=http://p:9091")));
        assertEquals(List.of("loki=http://l:3100/loki/api/v1/push", "pushgateway=http://p:9091"),
                c.export().endpoints().stream().map(RunConfig.Endpoint::toString).toList());
        assertEquals("unknown export kind 'prometheus'; expected one of remote-write, pushgateway, loki",
                assertThrows(IllegalArgumentException.class, () -> RunConfig.Export.parse("prometheus=http://p"))
                        .getMessage());
        assertEquals("'http://p' is not KIND=URL (KIND one of remote-write, pushgateway, loki)",
                assertThrows(IllegalArgumentException.class, () -> RunConfig.Export.parse("http://p")).getMessage());
    }
}
