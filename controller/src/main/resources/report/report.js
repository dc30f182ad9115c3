// Draws the lb report from the JSON in #lb-data. Every text from the data is set as text (textContent), never as
// markup, so a hostile host name or event message is shown, not run.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('lb-data').textContent);
  var COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22'];
  var WHOLE = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  var SIGNIFICANT = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 });

  // Rounded for display only: four significant digits, whole numbers from 1,000 on. results.json keeps full precision.
  function num(x) {
    if (x === null || x === undefined) { return '\u2014'; }
    return Math.abs(x) >= 1000 ? WHOLE.format(x) : SIGNIFICANT.format(x);
  }
  function pct(ratio) {
    return ratio === null || ratio === undefined ? '\u2014' : (ratio * 100).toFixed(1) + ' %';
  }
  function withUnit(text, unit) { return unit ? text + ' ' + unit : text; }

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') { e.textContent = attrs[k]; } else if (k === 'cls') { e.className = attrs[k]; } else { e.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { if (c) { e.appendChild(c); } });
    return e;
  }
  function note(text, cls) { return el('p', { cls: cls || 'note', text: text }); }

  // A table from column specs {head, num, field, cell(row) -> text or node, cls(row)}.
  function table(columns, rows, rowClass) {
    var head = el('tr', {}, columns.map(function (c) { return el('th', { cls: c.num ? 'num' : '', text: c.head }); }));
    var body = rows.map(function (r) {
      return el('tr', { cls: rowClass ? rowClass(r) : '' }, columns.map(function (c) {
        var v = c.cell(r);
        var td = el('td', { cls: (c.num ? 'num ' : '') + (c.cls ? c.cls(r) : '') });
        if (c.field) { td.setAttribute('data-field', c.field); }
        if (v instanceof Node) { td.appendChild(v); } else { td.textContent = v === null || v === undefined ? '' : String(v); }
        return td;
      }));
    });
    return el('table', {}, [el('thead', {}, [head]), el('tbody', {}, body)]);
  }

  function when(epochSeconds) {
    return epochSeconds ? new Date(epochSeconds * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : '\u2014';
  }

  function summary(section) {
    var s = data.summary;
    if (!s) { section.appendChild(note('No summary.json: the run is still going or unfinished (lb recover finishes it).')); return; }
    var facts = [
      ['outcome', s.outcome + (s.unfinished ? ' (unfinished)' : '')], ['exit code', String(s.exit_code)],
      ['reason', s.reason || '\u2014'], ['config', s.config || '\u2014'], ['started', when(s.started_at)],
      ['ended', when(s.ended_at)],
      ['duration', s.ended_at && s.started_at ? num(s.ended_at - s.started_at) + ' s' : '\u2014'],
      ['completeness', s.completeness || '\u2014']];
    section.appendChild(table([{ head: 'run', cell: function (r) { return r[0]; } },
      { head: data.run_id, cell: function (r) { return r[1]; } }], facts));

    section.appendChild(el('h3', { text: 'State per host, workload and repetition' }));
    var repCols = [];
    for (var i = 1; i <= s.repetitions; i++) {
      (function (rep) {
        repCols.push({ head: 'rep ' + rep, cell: function (r) { return r.repetitions[String(rep)] || ''; },
          cls: function (r) { return 'state-' + (r.repetitions[String(rep)] || 'none'); } });
      })(i);
    }
    section.appendChild(table([
      { head: 'host', cell: function (r) { return r.host; } },
      { head: 'workload', cell: function (r) { return r.workload; } },
      { head: 'state', cell: function (r) { return r.state; }, cls: function (r) { return 'state-' + r.state; } }
    ].concat(repCols).concat([{ head: 'events', num: true, cell: function (r) { return num(r.events); } }]), s.state));

    section.appendChild(el('h3', { text: 'Events per delivery path' }));
    var e = s.events;
    section.appendChild(table([{ head: 'path', cell: function (r) { return r[0]; } },
      { head: 'events', num: true, field: 'events', cell: function (r) { return num(r[1]); } }],
      [['accepted', e.accepted], ['stdout only', e.stdout_only], ['JSONL only', e.jsonl_only], ['both', e.both],
        ['recovered from stream files', e.recovered], ['duplicates merged', e.duplicates_merged]]));

    section.appendChild(el('h3', { text: 'Sequence gaps (' + s.gaps.length + ')' }));
    if (s.gaps.length) {
      section.appendChild(table([
        { head: 'host', cell: function (g) { return g.host; } }, { head: 'workload', cell: function (g) { return g.workload; } },
        { head: 'rep', num: true, cell: function (g) { return g.repetition; } }, { head: 'src', cell: function (g) { return g.src; } },
        { head: 'missing seq', num: true, cell: function (g) { return g.from === g.to ? String(g.from) : g.from + '\u2013' + g.to; } }], s.gaps));
    } else { section.appendChild(note('No events missing from any sequence.')); }

    var rejectedTotal = s.rejected.reduce(function (a, r) { return a + r.count; }, 0);
    section.appendChild(el('h3', { text: 'Rejected lines (' + rejectedTotal + ')' }));
    if (s.rejected.length) {
      section.appendChild(table([{ head: 'reason', cell: function (r) { return r.reason; } },
        { head: 'count', num: true, cell: function (r) { return num(r.count); } }], s.rejected));
      s.rejected_examples.slice(0, 10).forEach(function (x) { section.appendChild(el('div', { cls: 'mono', text: x })); });
    } else { section.appendChild(note('None.')); }

    if (s.not_done.length) {
      section.appendChild(el('h3', { text: 'Repetitions that did not end done (' + s.not_done.length + ')' }));
      section.appendChild(table([
        { head: 'host', cell: function (n) { return n.host; } }, { head: 'workload', cell: function (n) { return n.workload; } },
        { head: 'rep', num: true, cell: function (n) { return n.repetition; } },
        { head: 'status', cell: function (n) { return n.status; }, cls: function (n) { return 'state-' + n.status; } },
        { head: 'reason', cell: function (n) { return n.reason || ''; } }], s.not_done));
    }
  }

  function outlierText(r) {
    return (r.outliers || []).map(function (o) { return 'rep ' + o.repetition + ': ' + num(o.value) + ' (' + o.rule + ')'; }).join(', ');
  }
  function meanCell(r) {
    return withUnit(r.stdev === null || r.stdev === undefined ? num(r.mean) : num(r.mean) + ' \u00b1 ' + num(r.stdev), r.unit);
  }
  var ARROWS = { higher_is_better: ' \u2191', lower_is_better: ' \u2193' };

  function results(section) {
    if (!data.results.length) { section.appendChild(note('No results: no repetition ended done with a parsed result.')); }
    else {
      section.appendChild(table([
        { head: 'host', field: 'host', cell: function (r) { return r.host; } },
        { head: 'workload', field: 'workload', cell: function (r) { return r.workload; } },
        { head: 'metric', field: 'metric', cell: function (r) { return r.metric + (ARROWS[r.direction] || ''); } },
        { head: 'mean \u00b1 stdev', num: true, field: 'mean', cell: meanCell },
        { head: 'median', num: true, field: 'median', cell: function (r) { return num(r.median); } },
        { head: 'p95', num: true, field: 'p95', cell: function (r) { return num(r.p95); } },
        { head: 'min', num: true, field: 'min', cell: function (r) { return num(r.min); } },
        { head: 'max', num: true, field: 'max', cell: function (r) { return num(r.max); } },
        { head: 'n', num: true, field: 'n', cell: function (r) { return String(r.n); } },
        { head: 'cv', num: true, field: 'cv', cell: function (r) { return pct(r.cv); } },
        { head: 'outliers', field: 'outliers', cls: function () { return 'outlier'; }, cell: outlierText }],
        data.results, function (r) { return r.outliers && r.outliers.length ? 'outlier-row' : ''; }));
      section.appendChild(note('\u2191 higher is better, \u2193 lower is better; cv = stdev / mean; outliers by the'
        + ' rule named (Tukey fences or median absolute deviation) are marked, and counted in the statistics.'));
    }
    if (data.fleet.length) {
      section.appendChild(el('h3', { text: 'Fleet totals (summed over hosts, repetitions where every host was done)' }));
      section.appendChild(table([
        { head: 'workload', cell: function (r) { return r.workload; } }, { head: 'metric', cell: function (r) { return r.metric; } },
        { head: 'hosts', num: true, cell: function (r) { return String(r.hosts); } },
        { head: 'mean \u00b1 stdev', num: true, cell: meanCell },
        { head: 'median', num: true, cell: function (r) { return num(r.median); } },
        { head: 'p95', num: true, cell: function (r) { return num(r.p95); } },
        { head: 'n', num: true, cell: function (r) { return String(r.n); } },
        { head: 'cv', num: true, cell: function (r) { return pct(r.cv); } }], data.fleet));
    }
    if (data.excluded.length) {
      section.appendChild(el('h3', { text: 'Repetitions not counted (' + data.excluded.length + ')' }));
      section.appendChild(table([
        { head: 'host', cell: function (r) { return r.host; } }, { head: 'workload', cell: function (r) { return r.workload; } },
        { head: 'rep', num: true, cell: function (r) { return r.repetition; } },
        { head: 'status', cell: function (r) { return r.status; }, cls: function (r) { return 'state-' + r.status; } },
        { head: 'reason', cell: function (r) { return r.reason || ''; } }], data.excluded));
    }
    if (data.stability.length) {
      section.appendChild(el('h3', { text: 'Adaptive repetitions: where each host stopped' }));
      section.appendChild(table([
        { head: 'host', cell: function (r) { return r.host; } }, { head: 'workload', cell: function (r) { return r.workload; } },
        { head: 'stable', cell: function (r) { return r.stable ? 'yes' : 'no'; } },
        { head: 'counted', num: true, cell: function (r) { return String(r.n); } },
        { head: 'skipped', num: true, cell: function (r) { return String(r.skipped); } },
        { head: 'why', cell: function (r) { return r.explanation || ''; } }], data.stability));
    }
    if (data.unparsed.length) {
      section.appendChild(el('h3', { text: 'Results that could not be parsed (' + data.unparsed.length + ')' }));
      section.appendChild(table([
        { head: 'host', cell: function (r) { return r.host; } }, { head: 'workload', cell: function (r) { return r.workload; } },
        { head: 'rep', num: true, cell: function (r) { return r.repetition; } },
        { head: 'reason', cell: function (r) { return r.reason || ''; } }], data.unparsed));
    }
  }

  function chart(container, title, xLabel, yLabel, timeX, x, series) {
    var box = el('div', { cls: 'chart' });
    container.appendChild(box);
    var width = Math.max(320, Math.min(560, (container.clientWidth || 640) - 16));
    var opts = {
      title: title, width: width, height: 260,
      scales: { x: { time: timeX } },
      // Times in UTC, as the run's start and end are shown, whatever the reader's time zone.
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'); },
      // Repetitions are whole numbers: no tick between two of them.
      axes: [timeX ? { label: xLabel } : { label: xLabel, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] },
        { label: yLabel }],
      series: [{ label: xLabel }].concat(series.map(function (s, i) {
        return { label: s.label, stroke: COLORS[i % COLORS.length], width: 2, points: { show: true, size: 6 } };
      }))
    };
    return new uPlot(opts, [x].concat(series.map(function (s) { return s.values; })), box);
  }

  function resultCharts(section) {
    if (!data.result_charts.length) { section.appendChild(note('No results to chart.')); return; }
    var box = el('div', { cls: 'charts' });
    section.appendChild(box);
    data.result_charts.forEach(function (c) {
      chart(box, c.workload + ': ' + c.metric, 'repetition', c.unit, false, c.x,
        c.series.map(function (s) { return { label: s.host, values: s.values }; }));
    });
  }

  function system(section) {
    var s = data.system;
    if (s.unreadable_lines) {
      section.appendChild(note(s.unreadable_lines + ' unreadable journal line(s) skipped:', 'problem'));
      s.problems.forEach(function (p) { section.appendChild(el('div', { cls: 'mono problem', text: p })); });
    }
    if (!s.hosts.length) { section.appendChild(note('No system metrics were journalled for this run.')); return; }
    s.hosts.forEach(function (h) {
      section.appendChild(el('h3', { text: h.host }));
      var box = el('div', { cls: 'charts' });
      section.appendChild(box);
      h.charts.forEach(function (c) {
        chart(box, h.host + ': ' + c.title, 'time', c.unit, true, c.x,
          c.series.map(function (sr) { return { label: sr.name, values: sr.values }; }));
      });
    });
  }

  // Each host's system information as a table, hosts as columns, rows as ReportData made them; the warnings above it.
  function machines(section) {
    var m = data.machines;
    m.warnings.forEach(function (w) { section.appendChild(note('\u26a0 ' + w, 'problem')); });
    if (!m.hosts.length) { section.appendChild(note('No system information was journalled for this run (lb-agent sysinfo runs at setup).')); return; }
    var columns = [{ head: '', cell: function (r) { return r.label; } }];
    m.hosts.forEach(function (h, i) { columns.push({ head: h, field: 'host-' + i, cell: function (r) { return r.values[i]; } }); });
    var box = el('div', { cls: 'wide' });
    section.appendChild(box);
    box.appendChild(table(columns, m.rows));
    m.unread.forEach(function (u) { section.appendChild(note(u)); });
  }

  // The comparison is lb compare's JSON (--output json) as it is. Only a workload's primary metric has a verdict, in
  // three words, as lb compare means it: better or worse (changed for a metric without a direction) when significant
  // after Holm's correction; no change when not (lb compare's ~) or the same values on both sides; n too small when a
  // side has one value (no test). Any other metric shows its Benjamini-Hochberg q-value and no verdict.
  function verdict(r) {
    if (!r.primary) { return r.q_value === null ? '\u2014' : 'q ' + (r.q_value < 0.0001 ? '< 0.0001' : '= ' + num(r.q_value)); }
    return r.outcome || (r.verdict === 'n too small' ? 'n too small' : 'no change');
  }
  var TESTS = { welch: 'Welch t', 'mann-whitney': 'Mann-Whitney U' };

  // One table per workload and metric, as lb compare prints them; the unit is in the column heads.
  function comparison(section) {
    var c = data.comparison;
    if (!c) { return; }
    section.hidden = false;
    section.appendChild(note('Base run ' + c.base_run + ', this run ' + c.new_run + '; Welch\u2019s t-test, alpha '
      + c.alpha + '. A verdict is given on each workload\u2019s primary metric only, Holm-corrected across those rows;'
      + ' other metrics show a Benjamini\u2013Hochberg q-value. Change and interval are new \u2212 base: the change of'
      + ' the mean in % of the base mean, and the confidence interval of the difference of means in the metric\u2019s'
      + ' unit, at the level the row was judged at (shown beside it). Effect size: Hedges\u2019 g.'
      + ' \u201call hosts\u201d pools the repetitions of the hosts both runs have.'));
    var sys = c.system || { differences: [], different_hardware: [], not_recorded: [] };
    sys.different_hardware.forEach(function (h) {
      section.appendChild(note('\u26a0 Different hardware on ' + h + ' (CPU model or core count): the numbers compare two machines,'
        + ' not two runs of one.', 'problem'));
    });
    if (sys.differences.length) {
      section.appendChild(el('h3', { text: 'System differences' }));
      section.appendChild(table([{ head: 'host', cell: function (d) { return d.host; } },
        { head: 'field', cell: function (d) { return d.field; } },
        { head: 'base', field: 'base', cell: function (d) { return d.base === null ? '(not reported)' : d.base; } },
        { head: 'new', field: 'new', cell: function (d) { return d.new === null ? '(not reported)' : d.new; } }], sys.differences));
    }
    sys.not_recorded.forEach(function (n) { section.appendChild(note(n)); });
    var defs = c.workload_definitions || { differences: [], not_recorded: [] };
    if (defs.differences.length) {
      section.appendChild(el('h3', { text: 'Workload definitions changed' }));
      section.appendChild(table([{ head: 'workload', cell: function (d) { return d.workload; } },
        { head: 'field', cell: function (d) { return d.field; } },
        { head: 'base', field: 'base', cell: function (d) { return d.base === null ? '(not set)' : d.base; } },
        { head: 'new', field: 'new', cell: function (d) { return d.new === null ? '(not set)' : d.new; } }], defs.differences));
    }
    defs.not_recorded.forEach(function (n) { section.appendChild(note(n)); });
    if (!c.rows.length) { section.appendChild(note('Nothing to compare: no host, workload and metric has results in both runs.')); return; }
    function signed(x) { return x === null || x === undefined ? '\u2014' : (x > 0 ? '+' : '') + num(x); }
    function withN(x, n) { return num(x) + ' (n=' + n + ')'; }
    var groups = [];
    c.rows.forEach(function (r) {
      var last = groups[groups.length - 1];
      if (!last || last.workload !== r.workload || last.metric !== r.metric || last.unit !== r.unit) {
        groups.push(last = { workload: r.workload, metric: r.metric, unit: r.unit, direction: r.direction, rows: [] });
      }
      last.rows.push(r);
    });
    groups.forEach(function (g) {
      var unit = g.unit ? ' (' + g.unit + ')' : '';
      section.appendChild(el('h3', { text: g.workload + ': ' + g.metric + (ARROWS[g.direction] || '') }));
      var box = el('div', { cls: 'wide' });
      section.appendChild(box);
      box.appendChild(table([
        { head: 'host', cell: function (r) { return r.host; } },
        { head: 'base mean' + unit, num: true, field: 'base_mean', cell: function (r) { return withN(r.base.mean, r.base.n); } },
        { head: 'new mean' + unit, num: true, field: 'new_mean', cell: function (r) { return withN(r.new.mean, r.new.n); } },
        { head: 'change', num: true, field: 'change_pct', cell: function (r) { return r.change_pct === null ? '\u2014' : signed(r.change_pct) + ' %'; } },
        { head: 'CI of difference' + unit, num: true, field: 'ci', cell: function (r) {
          return r.ci_low === null ? '\u2014' : '[' + signed(r.ci_low) + ', ' + signed(r.ci_high) + '] at '
            + num(r.ci_level * 100) + ' %'; } },
        { head: 'Hedges\u2019 g', num: true, cell: function (r) { return num(r.hedges_g); } },
        { head: 'test', cell: function (r) { return r.test ? TESTS[r.test] || r.test : '\u2014'; } },
        { head: 'p', num: true, field: 'p', cell: function (r) { return r.p_value !== null && r.p_value < 0.0001 ? '< 0.0001' : num(r.p_value); } },
        { head: 'verdict', field: 'verdict', cell: verdict, cls: function (r) { return 'verdict-' + verdict(r).replace(/ /g, '-'); } }],
        g.rows));
    });
  }

  document.getElementById('meta').textContent = 'run ' + data.run_id + ' \u00b7 report made ' + data.generated_at
    + ' by lb ' + data.lb_version;
  summary(document.getElementById('summary'));
  machines(document.getElementById('machines'));
  results(document.getElementById('results'));
  resultCharts(document.getElementById('result-charts'));
  system(document.getElementById('system'));
  comparison(document.getElementById('comparison'));
})();
