package dev.lb.results;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code fio --output-format=json}: per job and per direction that did I/O, bandwidth, IOPS, bytes and completion
 * latency, named {@code <job>.<read|write|trim|mixed>.<metric>}.
 */
public final class FioJsonParser implements ResultParser {
    /** {@code mixed} is what {@code unified_rw_reporting=mixed} reports instead of read and write. */
    private static final List<String> DIRECTIONS = List.of("read", "write", "trim", "mixed");
    private static final List<String> PERCENTILES = List.of("50", "95", "99");

    @Override
    public String name() {
        return "fio";
    }

    /**
     * The first job's bandwidth in the first direction it did I/O in (read before write, as fio reports them): fio's
     * headline figure. The job's IOPS would say the same for a fixed block size.
     */
    @Override
    public Optional<String> primary(List<String> metrics) {
        return metrics.stream().filter(m -> m.endsWith(".bw")).findFirst();
    }

    @Override
    public ParsedResult parse(Path file) throws ResultParseException {
        String text = ResultFile.read(file);
        JsonNode root = ResultJson.parse(file, text.substring(jsonStart(file, text)));
        JsonNode jobs = root.path("jobs");
        if (!jobs.isArray() || jobs.isEmpty()) {
            throw new ResultParseException(file + ": no 'jobs' in fio's JSON");
        }
        Map<String, Integer> seen = new HashMap<>();
        jobs.forEach(j -> seen.merge(j.path("jobname").asText(), 1, Integer::sum));
        Map<String, Integer> occurrence = new HashMap<>();
        List<Metric> metrics = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            JsonNode job = jobs.get(i);
            String jobname = job.path("jobname").asText("");
            if (jobname.isEmpty()) {
                throw new ResultParseException(file + ": jobs[" + i + "] has no jobname");
            }
            int error = job.path("error").asInt(0);
            if (error != 0) {
                throw new ResultParseException(file + ": job " + jobname + " failed with error " + error
                        + " (an errno; fio's stderr says more)");
            }
            // numjobs=N without group_reporting gives N entries of one name: they are told apart by their order.
            String name = seen.get(jobname) > 1 ? jobname + "#" + occurrence.merge(jobname, 1, Integer::sum) : jobname;
            for (String dir : DIRECTIONS) {
                JsonNode d = job.path(dir);
                String where = "jobs[" + i + "]." + dir;
                if (d.isObject() && ResultJson.number(file, d.path("io_bytes"), where + ".io_bytes") > 0) {
                    direction(file, d, where, name + "." + dir, metrics);
                }
            }
        }
        if (metrics.isEmpty()) {
            throw new ResultParseException(file + ": no fio job did any I/O");
        }
        return new ParsedResult(name(), metrics);
    }

    /** Where fio's JSON object starts: fio prints notes ("note: both iodepth >= 1 and ...") before it on stdout. */
    private static int jsonStart(Path file, String text) throws ResultParseException {
        if (text.startsWith("{")) {
            return 0;
        }
        int at = text.indexOf("\n{");
        if (at < 0) {
            throw new ResultParseException(file + ": no JSON object (was fio run with --output-format=json?)");
        }
        return at + 1;
    }

    private static void direction(Path file, JsonNode d, String where, String prefix, List<Metric> out)
            throws ResultParseException {
        if (d.has("bw_bytes")) {
            out.add(new Metric(prefix + ".bw", ResultJson.nonNegative(file, d.path("bw_bytes"), where + ".bw_bytes"),
                    Unit.B_PER_S));
        } else {
            out.add(new Metric(prefix + ".bw", ResultJson.nonNegative(file, d.path("bw"), where + ".bw"), Unit.KIB_PER_S));
        }
        out.add(new Metric(prefix + ".iops", ResultJson.nonNegative(file, d.path("iops"), where + ".iops"), Unit.OPS_PER_S));
        out.add(new Metric(prefix + ".io_bytes", ResultJson.nonNegative(file, d.path("io_bytes"), where + ".io_bytes"),
                Unit.B));
        // fio 3 reports latency in ns (clat_ns); fio 2 in us (clat). Both become us.
        boolean ns = d.has("clat_ns");
        String clatKey = ns ? "clat_ns" : "clat";
        JsonNode clat = d.path(clatKey);
        if (!clat.isObject()) {
            throw new ResultParseException(file + ": " + where + " has no clat_ns");
        }
        double scale = ns ? 1e-3 : 1;
        out.add(new Metric(prefix + ".clat_mean",
                ResultJson.nonNegative(file, clat.path("mean"), where + "." + clatKey + ".mean") * scale, Unit.US));
        JsonNode percentiles = clat.path("percentile");
        for (String p : PERCENTILES) {
            // keys are written "%f": "99.000000"; absent when percentiles were turned off or not asked for
            JsonNode v = percentiles.path(p + ".000000");
            if (!v.isMissingNode()) {
                out.add(new Metric(prefix + ".clat_p" + p,
                        ResultJson.nonNegative(file, v, where + "." + clatKey + ".percentile." + p) * scale, Unit.US));
            }
        }
    }
}
