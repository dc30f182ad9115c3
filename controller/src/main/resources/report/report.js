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

  // The unit a value reads best in, as lb's terminal output chooses it (the families come with the data, from the
  // one definition in lb): bytes and byte rates by 1024, times by 1000 up to seconds; other units as they are.
  function displayUnit(unit, magnitude) {
    var families = data.display_units || [];
    for (var f = 0; f < families.length; f++) {
      var fam = families[f], from = fam.indexOf(unit);
      if (from < 0) { continue; }
      var step = fam[0] === 'ns' ? 1000 : 1024, base = Math.abs(magnitude) * Math.pow(step, from), to = 0;
      while (to < fam.length - 1 && base >= Math.pow(step, to + 1)) { to++; }
      if (!magnitude || !isFinite(magnitude)) { to = from; }
      return { symbol: fam[to] === 'us' ? '\u00b5s' : fam[to], factor: Math.pow(step, from - to) };
    }
    return { symbol: unit || '', factor: 1 };
  }
  // One value with its unit, scaled: 37.85 MiB/s, 73.22 µs.
  function qty(x, unit, u) {
    if (x === null || x === undefined) { return '\u2014'; }
    u = u || displayUnit(unit, x);
    return withUnit(num(x * u.factor), u.symbol);
  }
  function signedQty(x, u) { return x === null || x === undefined ? '\u2014' : (x > 0 ? '+' : '') + withUnit(num(x * u.factor), u.symbol); }

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

  // The run's own record, as summary.json has it (the page reads the file's keys).
  function summary(section) {
    var s = data.summary;
    if (!s) { section.appendChild(note('No summary.json: the run is still going or unfinished (lb recover finishes it).')); return; }
    var completeness = s.completeness ? s.completeness.verdict : null;
    var facts = [
      ['outcome', s.outcome + (s.unfinished ? ' (unfinished)' : '')], ['exit code', String(s.exit_code)],
      ['reason', s.reason || '\u2014'], ['config', s.config || '\u2014'], ['started', when(s.started_at)],
      ['ended', when(s.ended_at)],
      ['duration', s.ended_at && s.started_at ? num(s.ended_at - s.started_at) + ' s' : '\u2014'],
      ['completeness', completeness || '\u2014']];
    section.appendChild(table([{ head: 'run', cell: function (r) { return r[0]; } },
      { head: data.run_id, cell: function (r) { return r[1]; } }], facts));

    section.appendChild(el('h3', { text: 'State per host, workload and repetition' }));
    var state = s.state || [], reps = 0;
    state.forEach(function (r) {
      reps = Math.max(reps, r.total_repetitions || 0);
      Object.keys(r.repetitions || {}).forEach(function (k) { reps = Math.max(reps, Number(k)); });
    });
    var repCols = [];
    for (var i = 1; i <= reps; i++) {
      (function (rep) {
        repCols.push({ head: 'rep ' + rep, cell: function (r) { return (r.repetitions || {})[String(rep)] || ''; },
          cls: function (r) { return 'state-' + ((r.repetitions || {})[String(rep)] || 'none'); } });
      })(i);
    }
    section.appendChild(table([
      { head: 'host', cell: function (r) { return r.host; } },
      { head: 'workload', cell: function (r) { return r.workload; } },
      { head: 'state', cell: function (r) { return r.state; }, cls: function (r) { return 'state-' + r.state; } }
    ].concat(repCols).concat([{ head: 'events', num: true, cell: function (r) { return num(r.events); } }]), state));

    section.appendChild(el('h3', { text: 'Events per delivery path' }));
    var e = s.events;
    section.appendChild(table([{ head: 'path', cell: function (r) { return r[0]; } },
      { head: 'events', num: true, field: 'events', cell: function (r) { return num(r[1]); } }],
      [['accepted', e.accepted], ['stdout only', e.stdout_only], ['JSONL only', e.jsonl_only], ['both', e.both],
        ['recovered from stream files', e.recovered], ['duplicates merged', e.duplicates_merged]]));

    var gaps = s.gaps || [];
    section.appendChild(el('h3', { text: 'Sequence gaps (' + gaps.length + ')' }));
    if (gaps.length) {
      section.appendChild(table([
        { head: 'host', cell: function (g) { return g.host; } }, { head: 'workload', cell: function (g) { return g.workload; } },
        { head: 'rep', num: true, cell: function (g) { return g.repetition; } }, { head: 'src', cell: function (g) { return g.src; } },
        { head: 'missing seq', num: true, cell: function (g) { return g.from === g.to ? String(g.from) : g.from + '\u2013' + g.to; } }], gaps));
    } else { section.appendChild(note('No events missing from any sequence.')); }

    var rejected = Object.keys(s.rejected || {}).map(function (k) { return { reason: k, count: s.rejected[k] }; });
    var rejectedTotal = rejected.reduce(function (a, r) { return a + r.count; }, 0);
    section.appendChild(el('h3', { text: 'Rejected lines (' + rejectedTotal + ')' }));
    if (rejected.length) {
      section.appendChild(table([{ head: 'reason', cell: function (r) { return r.reason; } },
        { head: 'count', num: true, cell: function (r) { return num(r.count); } }], rejected));
      (s.rejected_examples || []).slice(0, 10).forEach(function (x) { section.appendChild(el('div', { cls: 'mono', text: x })); });
    } else { section.appendChild(note('None.')); }

    var notDone = s.not_done || [];
    if (notDone.length) {
      section.appendChild(el('h3', { text: 'Repetitions that did not end done (' + notDone.length + ')' }));
      section.appendChild(table([
        { head: 'host', cell: function (n) { return n.host; } }, { head: 'workload', cell: function (n) { return n.workload; } },
        { head: 'rep', num: true, cell: function (n) { return n.repetition; } },
        { head: 'status', cell: function (n) { return n.status; }, cls: function (n) { return 'state-' + n.status; } },
        { head: 'reason', cell: function (n) { return n.reason || ''; } }], notDone));
    }
  }

  // What the page leads with: each workload's primary metric per host, the mean with its 95 % interval, and what
  // makes the number less sure.
  function headline(section) {
    var rows = data.headline || [];
    if (!rows.length) { section.appendChild(note('No results: no repetition ended done with a parsed result.')); return; }
    section.appendChild(table([
      { head: 'workload', field: 'workload', cell: function (r) { return r.workload; } },
      { head: 'host', field: 'host', cell: function (r) { return r.host; } },
      { head: 'metric', field: 'metric', cell: function (r) { return r.metric + (ARROWS[r.direction] || ''); } },
      { head: 'mean', num: true, field: 'mean', cls: function () { return 'mean'; }, cell: function (r) { return qty(r.mean, r.unit); } },
      { head: '95 % interval of the mean', num: true, field: 'ci', cell: function (r) {
        if (r.ci_low === null) { return r.n < 2 ? 'one value: none' : '\u2014'; }
        var u = displayUnit(r.unit, r.mean);
        return withUnit(num(r.ci_low * u.factor) + ' \u2013 ' + num(r.ci_high * u.factor), u.symbol); } },
      { head: 'n', num: true, field: 'n', cell: function (r) { return String(r.n); } },
      { head: 'cv', num: true, field: 'cv', cell: function (r) { return pct(r.cv); } },
      { head: 'trust', field: 'trust', cls: function (r) { return r.flags.length ? 'trust' : ''; },
        cell: function (r) { return r.flags.length ? '\u26a0 ' + r.flags.join('; ') : 'ok'; } }],
      rows)).className = 'headline';
    section.appendChild(note('\u2191 higher is better, \u2193 lower is better. The interval is Student\u2019s t over the'
      + ' repetitions counted; cv = stdev / mean. Every metric is under Details.'));
  }

  function outlierText(r) {
    return (r.outliers || []).map(function (o) { return 'rep ' + o.repetition + ': ' + num(o.value) + ' (' + o.rule + ')'; }).join(', ');
  }
  function meanCell(r) {
    var u = displayUnit(r.unit, r.mean);
    return withUnit(r.stdev === null || r.stdev === undefined ? num(r.mean * u.factor)
      : num(r.mean * u.factor) + ' \u00b1 ' + num(r.stdev * u.factor), u.symbol);
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

  // The largest magnitude in a chart's series, for choosing the unit its axis reads best in.
  function largest(series) {
    var m = 0;
    series.forEach(function (s) { s.values.forEach(function (v) { if (v !== null && Math.abs(v) > m) { m = Math.abs(v); } }); });
    return m;
  }

  // Vertical marks where each repetition began and ended on this host, labelled, so a spike is read against the
  // repetition it fell in.
  function repetitionMarks(spans) {
    return { hooks: { draw: [function (u) {
      var ctx = u.ctx, top = u.bbox.top, height = u.bbox.height, left = u.bbox.left, right = left + u.bbox.width;
      var px = window.devicePixelRatio || 1;
      ctx.save();
      ctx.strokeStyle = '#8a93a6';
      ctx.fillStyle = '#5b6475';
      ctx.lineWidth = px;
      ctx.setLineDash([4 * px, 4 * px]);
      ctx.font = (10 * px) + 'px sans-serif';
      spans.forEach(function (sp) {
        [sp.start, sp.end].forEach(function (t, i) {
          var x = Math.round(u.valToPos(t, 'x', true));
          if (x < left || x > right) { return; }
          ctx.beginPath(); ctx.moveTo(x, top); ctx.lineTo(x, top + height); ctx.stroke();
          if (i === 0) { ctx.fillText('rep ' + sp.repetition, x + 3 * px, top + 11 * px); }
        });
      });
      ctx.restore();
    }] } };
  }

  // A chart drawn by uPlot: y from zero (a difference is never drawn bigger than it is), the values in the unit they
  // read best in, times as ISO clock times in UTC, the legend naming the series without a value to hover.
  function chart(container, title, xLabel, unit, timeX, x, series, spans) {
    var box = el('div', { cls: 'chart' });
    container.appendChild(box);
    var width = Math.max(320, Math.min(560, (container.clientWidth || 640) - 16));
    var u = displayUnit(unit, largest(series));
    var scaled = series.map(function (s) {
      return s.values.map(function (v) { return v === null ? null : v * u.factor; });
    });
    var xAxis = timeX
      ? { label: xLabel + ' (UTC)', space: 80, values: function (self, splits) {
          return splits.map(function (t) { return new Date(t * 1000).toISOString().slice(11, 19); }); } }
      // Repetitions are whole numbers: no tick between two of them.
      : { label: xLabel, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] };
    var opts = {
      title: title, width: width, height: 260,
      legend: { live: false },
      scales: { x: { time: timeX }, y: { range: function (self, min, max) {
        var lo = Math.min(0, min), hi = Math.max(0, max);
        return hi === lo ? [lo, lo + 1] : [lo, hi + (hi - lo) * 0.08];
      } } },
      axes: [xAxis, { label: u.symbol, size: function (self, values) {
        var longest = (values || []).reduce(function (a, v) { return Math.max(a, String(v).length); }, 0);
        return Math.max(50, 14 + longest * 8);
      } }],
      plugins: spans && spans.length ? [repetitionMarks(spans)] : [],
      series: [{ label: xLabel }].concat(series.map(function (s, i) {
        return { label: s.label, stroke: COLORS[i % COLORS.length], width: 2, points: { show: true, size: 6 } };
      }))
    };
    var plot = new uPlot(opts, [x].concat(scaled), box);
    // Every chart is reachable from the page (its scales, its series), for checking the page as it is drawn.
    (window.lbCharts = window.lbCharts || []).push(plot);
    return plot;
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
    section.appendChild(note('Dashed lines: where each repetition began and ended on the host.'));
    s.hosts.forEach(function (h) {
      section.appendChild(el('h3', { text: h.host }));
      var box = el('div', { cls: 'charts' });
      section.appendChild(box);
      h.charts.forEach(function (c) {
        chart(box, h.host + ': ' + c.title, 'time', c.unit, true, c.x,
          c.series.map(function (sr) { return { label: sr.name, values: sr.values }; }), h.repetitions || []);
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

  function signed(x) { return x === null || x === undefined ? '\u2014' : (x > 0 ? '+' : '') + num(x); }
  function level(l) { return l === null || l === undefined ? '' : ' at ' + num(l * 100) + ' %'; }

  // The comparison's verdicts first (primary metrics, as lb compare judges them), one chart per primary metric of
  // the base run's repetitions against this run's, what differs around the numbers; every row under Details.
  function comparison(section, all) {
    var c = data.comparison;
    if (!c) { return; }
    section.hidden = false;
    document.getElementById('comparison-details').hidden = false;
    section.appendChild(note('Base run ' + c.base_run + ', this run ' + c.new_run + '; Welch\u2019s t-test, alpha '
      + c.alpha + '. A verdict is given on each workload\u2019s primary metric only, Holm-corrected across those rows;'
      + ' other metrics show a Benjamini\u2013Hochberg q-value. Change and interval are new \u2212 base: the change of'
      + ' the mean in % of the base mean, and the confidence interval of the difference of means in the metric\u2019s'
      + ' unit, at the level the row was judged at (shown beside it). Effect size: Hedges\u2019 g.'
      + ' \u201call hosts\u201d pools the repetitions of the hosts both runs have.'));
    var primary = c.rows.filter(function (r) { return r.primary; });
    if (!c.rows.length) { section.appendChild(note('Nothing to compare: no host, workload and metric has results in both runs.')); }
    if (primary.length) {
      section.appendChild(table([
        { head: 'workload', cell: function (r) { return r.workload; } },
        { head: 'host', cell: function (r) { return r.host; } },
        { head: 'metric', cell: function (r) { return r.metric + (ARROWS[r.direction] || ''); } },
        { head: 'base mean', num: true, field: 'base_mean', cell: function (r) { return qty(r.base.mean, r.unit) + ' (n=' + r.base.n + ')'; } },
        { head: 'this run', num: true, field: 'new_mean', cell: function (r) { return qty(r.new.mean, r.unit, displayUnit(r.unit, r.base.mean)) + ' (n=' + r.new.n + ')'; } },
        { head: 'change', num: true, field: 'change_pct', cell: function (r) { return r.change_pct === null ? '\u2014' : signed(r.change_pct) + ' %'; } },
        { head: 'interval of the difference', num: true, field: 'ci', cell: function (r) {
          var u = displayUnit(r.unit, r.base.mean);
          return r.ci_low === null ? '\u2014' : '[' + signedQty(r.ci_low, u) + ', ' + signedQty(r.ci_high, u) + ']' + level(r.ci_level); } },
        { head: 'Holm p', num: true, field: 'p', cell: function (r) { return r.holm_p === null ? '\u2014' : r.holm_p < 0.0001 ? '< 0.0001' : num(r.holm_p); } },
        { head: 'verdict', field: 'verdict', cell: verdict, cls: function (r) { return 'verdict-' + verdict(r).replace(/ /g, '-'); } }],
        primary)).className = 'verdicts';
    }
    var charts = el('div', { cls: 'charts' });
    section.appendChild(charts);
    (data.comparison_charts || []).forEach(function (ch) { comparisonChart(charts, ch, c); });

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
    comparisonTables(all, c);
  }

  // One metric of the comparison on a canvas: per host, the base run's repetitions and this run's as dots, each
  // side's mean as a bar with its 95 % interval; y from zero, in the unit the values read best in.
  function comparisonChart(container, ch, c) {
    var W = 360, H = 250, px = window.devicePixelRatio || 1;
    var box = el('div', { cls: 'cmp-chart' });
    box.appendChild(el('div', { cls: 'title', text: ch.workload + ': ' + ch.metric + (ARROWS[ch.direction] || '') }));
    var canvas = el('canvas', { width: String(W * px), height: String(H * px) });
    canvas.style.width = W + 'px';
    canvas.style.height = H + 'px';
    box.appendChild(canvas);
    container.appendChild(box);
    var top = 0;
    ch.hosts.forEach(function (h) {
      [h.base, h.new].forEach(function (side) {
        side.values.concat([side.ci_high, side.mean]).forEach(function (v) { if (v !== null && v > top) { top = v; } });
      });
    });
    var u = displayUnit(ch.unit, top);
    // Round ticks (1, 2 or 5 times a power of ten) up to just above the largest value.
    var raw = top > 0 ? top * u.factor / 4 : 0.25, mag = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 5, 10].map(function (m) { return m * mag; }).filter(function (x) { return x >= raw; })[0];
    top = step * 4;
    var ctx = canvas.getContext('2d');
    ctx.scale(px, px);
    var left = 64, bottom = H - 44, plotTop = 10, plotW = W - left - 10;
    function y(v) { return bottom - (v * u.factor) / top * (bottom - plotTop); }
    ctx.font = '11px sans-serif';
    ctx.strokeStyle = '#d9dde5';
    ctx.fillStyle = '#5b6475';
    for (var t = 0; t <= 4; t++) {
      var v = top * t / 4, yy = bottom - (bottom - plotTop) * t / 4;
      ctx.beginPath(); ctx.moveTo(left, yy); ctx.lineTo(left + plotW, yy); ctx.stroke();
      ctx.textAlign = 'right';
      ctx.fillText(num(v), left - 6, yy + 4);
    }
    ctx.save(); ctx.translate(12, (bottom + plotTop) / 2); ctx.rotate(-Math.PI / 2); ctx.textAlign = 'center';
    ctx.fillText(u.symbol, 0, 0); ctx.restore();
    var slot = plotW / ch.hosts.length;
    ch.hosts.forEach(function (h, i) {
      [[h.base, 'base ' + c.base_run, '#7f7f7f'], [h.new, 'this run', COLORS[0]]].forEach(function (s, j) {
        var side = s[0], cx = left + slot * i + slot * (j === 0 ? 0.3 : 0.7);
        ctx.fillStyle = s[2]; ctx.strokeStyle = s[2];
        side.values.forEach(function (val, k) {
          ctx.beginPath(); ctx.arc(cx - 10 + (k % 5) * 5, y(val), 3, 0, 2 * Math.PI); ctx.fill();
        });
        ctx.lineWidth = 2;
        ctx.beginPath(); ctx.moveTo(cx + 14, y(side.mean)); ctx.lineTo(cx + 30, y(side.mean)); ctx.stroke();
        if (side.ci_low !== null) {
          ctx.lineWidth = 1;
          ctx.beginPath(); ctx.moveTo(cx + 22, y(Math.max(0, side.ci_low))); ctx.lineTo(cx + 22, y(side.ci_high)); ctx.stroke();
        }
        ctx.fillStyle = '#5b6475'; ctx.textAlign = 'center';
        ctx.fillText(j === 0 ? 'base' : 'this run', cx + 10, bottom + 14);
      });
      ctx.fillStyle = '#1d2330'; ctx.textAlign = 'center';
      var said = h.outcome || (h.verdict === 'n too small' ? 'n too small' : 'no change');
      ctx.fillText(h.host + ': ' + said, left + slot * (i + 0.5), bottom + 30);
    });
    box.appendChild(note('Dots: each repetition; bar: the mean, line: its 95 % interval. Base run ' + c.base_run + ' in grey.'));
  }

  // The run's history: each of its series over its last runs up to this one, drawn as lb history report draws a
  // series (lbHistoryChart, history-chart.js, one definition), this run marked, the band and verdict of lb history
  // check where it judged this run. No store, no series or a store that cannot be read: one line saying so.
  function history(section) {
    var h = data.history;
    if (!h) { section.appendChild(note('No history was read for this report.')); return; }
    if (h.note) { section.appendChild(note(h.note, h.problem ? 'problem' : 'note')); return; }
    section.appendChild(note('From ' + h.store + ': each series of this run over its last ' + h.window + ' runs up to'
      + ' this one (highlighted): the mean of each run, whiskers from the minimum to the maximum of its repetitions,'
      + ' excluded runs in grey, change points (found over the whole series) as red lines, and the band of lb history'
      + ' check where it judged this run (green: within or better, red: a regression). Hover a run for its id and labels.'));
    h.series.forEach(function (s) {
      var box = el('div', { cls: 'history-series' });
      box.appendChild(el('h3', { text: s.name + (s.primary ? ' (primary)' : '') + (ARROWS[s.direction] || '') }));
      var c = s.this_check;
      var cps = s.change_points.map(function (cp) {
        return cp.run_id + ' ' + (cp.percent >= 0 ? '+' : '') + cp.percent.toFixed(2) + ' % ' + cp.verdict;
      });
      box.appendChild(note(s.runs.length + ' of the series’ ' + s.runs_in_series + ' runs shown; change points: '
        + (cps.length ? cps.join(', ') : 'none here') + '; lb history check: ' + (c ? c.verdict + ' ('
        + (c.lower === undefined ? c.earlier_runs + ' earlier runs' : 'band ' + qty(c.lower, s.unit) + ' – '
        + qty(c.upper, s.unit) + ' from ' + c.earlier_runs + ' earlier runs') + ')' : 'not checked'), 'note history-facts'));
      var info = el('p', { cls: 'run-info' });
      box.appendChild(info);
      var chartBox = el('div', { cls: 'history-chart' });
      box.appendChild(chartBox);
      section.appendChild(box);
      lbHistoryChart.draw(chartBox, s, { width: Math.max(400, Math.min(1100, (section.clientWidth || 900) - 16)),
        marked: s.this_run, check: c, info: info });
    });
  }

  // Every row of the comparison, one table per workload and metric as lb compare prints them.
  function comparisonTables(section, c) {
    if (!c.rows.length) { return; }
    function withN(x, n, u) { return withUnit(num(x * u.factor), u.symbol) + ' (n=' + n + ')'; }
    var groups = [];
    c.rows.forEach(function (r) {
      var last = groups[groups.length - 1];
      if (!last || last.workload !== r.workload || last.metric !== r.metric || last.unit !== r.unit) {
        groups.push(last = { workload: r.workload, metric: r.metric, unit: r.unit, direction: r.direction, rows: [] });
      }
      last.rows.push(r);
    });
    groups.forEach(function (g) {
      section.appendChild(el('h3', { text: g.workload + ': ' + g.metric + (ARROWS[g.direction] || '') }));
      var box = el('div', { cls: 'wide' });
      section.appendChild(box);
      function unitOf(r) { return displayUnit(r.unit, r.base.mean); }
      box.appendChild(table([
        { head: 'host', cell: function (r) { return r.host; } },
        { head: 'base mean', num: true, field: 'base_mean', cell: function (r) { return withN(r.base.mean, r.base.n, unitOf(r)); } },
        { head: 'new mean', num: true, field: 'new_mean', cell: function (r) { return withN(r.new.mean, r.new.n, unitOf(r)); } },
        { head: 'change', num: true, field: 'change_pct', cell: function (r) { return r.change_pct === null ? '\u2014' : signed(r.change_pct) + ' %'; } },
        { head: 'CI of difference', num: true, field: 'ci', cell: function (r) {
          return r.ci_low === null ? '\u2014' : '[' + signedQty(r.ci_low, unitOf(r)) + ', ' + signedQty(r.ci_high, unitOf(r)) + ']'
            + level(r.ci_level); } },
        { head: 'Hedges\u2019 g', num: true, cell: function (r) { return num(r.hedges_g); } },
        { head: 'test', cell: function (r) { return r.test ? TESTS[r.test] || r.test : '\u2014'; } },
        { head: 'p', num: true, field: 'p', cell: function (r) { return r.p_value !== null && r.p_value < 0.0001 ? '< 0.0001' : num(r.p_value); } },
        { head: 'verdict', field: 'verdict', cell: verdict, cls: function (r) { return 'verdict-' + verdict(r).replace(/ /g, '-'); } }],
        g.rows));
    });
  }

  var s = data.summary;
  document.getElementById('meta').textContent = (s ? s.outcome + (s.unfinished ? ', unfinished' : '') + ' (exit '
    + s.exit_code + ') \u00b7 ' + (s.config || '') + ' \u00b7 started ' + when(s.started_at) + ' \u00b7 '
    + (s.ended_at && s.started_at ? num(s.ended_at - s.started_at) + ' s' : 'still running') + ' \u00b7 '
    : '') + 'report made ' + String(data.generated_at).replace(/\.\d+Z$/, 'Z') + ' by lb ' + data.lb_version;
  headline(document.getElementById('headline'));
  comparison(document.getElementById('comparison'), document.getElementById('comparison-all'));
  history(document.getElementById('history'));
  resultCharts(document.getElementById('result-charts'));
  system(document.getElementById('system'));
  results(document.getElementById('results'));
  summary(document.getElementById('summary'));
  machines(document.getElementById('machines'));
})();
