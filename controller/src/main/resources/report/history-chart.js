// One series of the history drawn with uPlot: the one definition used by lb history report (history.js) and by the
// history section of lb report (report.js). The series is the shape HistoryReportData.series gives: runs in time order
// (mean, min, max, n, labels, excluded), change points, stored gate verdicts. Every text is set as text, never markup.
var lbHistoryChart = (function () {
  'use strict';

  function num(v) {
    if (v === null || v === undefined) { return '-'; }
    var a = Math.abs(v);
    return a !== 0 && (a >= 1e9 || a < 1e-3) ? v.toExponential(3) : v.toPrecision(4);
  }

  function finite(v) { return v !== null && v !== undefined && isFinite(v); }

  // opts: width; marked (a run id: drawn with a yellow band, "this run"); check (a stored gate verdict of that run:
  // its prediction interval drawn as a band, red when the verdict is a regression); info (an element that shows the
  // run under the cursor). Returns the uPlot instance, also kept in window.lbHistoryCharts for checking the page.
  function draw(container, s, opts) {
    opts = opts || {};
    var x = [], mean = [], excluded = [], marked = -1;
    s.runs.forEach(function (r, i) {
      x.push(i);
      mean.push(r.excluded ? null : r.mean);
      excluded.push(r.excluded ? r.mean : null);
      if (r.run_id === opts.marked) { marked = i; }
    });
    var index = {};
    s.runs.forEach(function (r, i) { index[r.run_id] = i; });
    var cps = s.change_points.map(function (c) { return index[c.run_id]; })
        .filter(function (i) { return i !== undefined; });
    var band = opts.check && finite(opts.check.lower) && finite(opts.check.upper) ? opts.check : null;

    // y spans every mean, whisker and the band, with a margin: the whiskers are drawn, not clipped.
    function yRange() {
      var lo = Infinity, hi = -Infinity;
      s.runs.forEach(function (r) {
        [r.mean, r.min, r.max].forEach(function (v) { if (finite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); } });
      });
      if (band) { lo = Math.min(lo, band.lower); hi = Math.max(hi, band.upper); }
      if (!isFinite(lo)) { return [0, 1]; }
      var pad = hi > lo ? (hi - lo) * 0.08 : Math.abs(hi) * 0.05 || 1;
      return [lo - pad, hi + pad];
    }

    function vline(u, ctx, i, top, bottom) {
      var px = Math.round(u.valToPos(i, 'x', true));
      ctx.beginPath();
      ctx.moveTo(px, u.valToPos(top, 'y', true));
      ctx.lineTo(px, u.valToPos(bottom, 'y', true));
      ctx.stroke();
      return px;
    }

    // Under the series: this run's column and the gate's band.
    function drawBack(u) {
      var ctx = u.ctx, dpr = window.devicePixelRatio || 1, step = Math.abs(u.valToPos(1, 'x', true) - u.valToPos(0, 'x', true)) || 20 * dpr;
      ctx.save();
      if (band) {
        var y1 = u.valToPos(band.upper, 'y', true), y2 = u.valToPos(band.lower, 'y', true);
        var right = marked >= 0 ? u.valToPos(marked, 'x', true) + step / 2 : u.bbox.left + u.bbox.width;
        ctx.fillStyle = band.verdict === 'regression' ? 'rgba(214, 39, 40, 0.12)' : 'rgba(44, 160, 44, 0.12)';
        ctx.fillRect(u.bbox.left, y1, right - u.bbox.left, y2 - y1);
      }
      if (marked >= 0) {
        var cx = u.valToPos(marked, 'x', true);
        ctx.fillStyle = 'rgba(255, 200, 0, 0.25)';
        ctx.fillRect(cx - step / 2, u.bbox.top, step, u.bbox.height);
      }
      ctx.restore();
    }

    // Over the series: each run's whisker (min to max of its repetitions), grey for an excluded run; change points.
    function drawFront(u) {
      var ctx = u.ctx, dpr = window.devicePixelRatio || 1;
      ctx.save();
      ctx.lineWidth = dpr;
      s.runs.forEach(function (r, i) {
        if (!finite(r.min) || !finite(r.max)) { return; }
        ctx.strokeStyle = r.excluded ? '#b0b0b0' : '#6baed6';
        var px = vline(u, ctx, i, r.max, r.min);
        [r.min, r.max].forEach(function (v) {
          var py = Math.round(u.valToPos(v, 'y', true));
          ctx.beginPath(); ctx.moveTo(px - 3 * dpr, py); ctx.lineTo(px + 3 * dpr, py); ctx.stroke();
        });
      });
      ctx.strokeStyle = '#d62728';
      ctx.lineWidth = 2 * dpr;
      cps.forEach(function (i) {
        var px = u.valToPos(i - 0.5, 'x', true);
        ctx.beginPath(); ctx.moveTo(px, u.bbox.top); ctx.lineTo(px, u.bbox.top + u.bbox.height); ctx.stroke();
      });
      ctx.restore();
    }

    var info = opts.info;
    var plot = new uPlot({
      width: opts.width || 900,
      height: opts.height || 240,
      legend: { live: false },
      scales: { x: { time: false, range: function () { return [-0.5, Math.max(0.5, s.runs.length - 0.5)]; } },
        y: { range: yRange } },
      axes: [{ label: 'run (time order)', incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] }, { label: s.unit }],
      series: [
        { label: 'run' },
        { label: 'mean', stroke: '#1f77b4', width: 2, points: { show: true, size: 5 } },
        { label: 'excluded', stroke: '#aaaaaa', width: 0, points: { show: true, size: 6, fill: '#cccccc' } }
      ],
      hooks: {
        drawClear: [drawBack],
        draw: [drawFront],
        setCursor: [function (u) {
          if (!info) { return; }
          var i = u.cursor.idx;
          if (i === null || i === undefined || !s.runs[i]) { info.textContent = ''; return; }
          var r = s.runs[i], labels = Object.keys(r.labels || {}).map(function (k) { return k + '=' + r.labels[k]; });
          info.textContent = r.run_id + (i === marked ? ' (this run)' : '') + ': ' + num(r.mean) + ' ' + s.unit
              + ' (n = ' + r.n + (finite(r.min) ? ', ' + num(r.min) + ' to ' + num(r.max) : '') + ')'
              + (labels.length ? '; ' + labels.join(' ') : '') + (r.excluded ? '; excluded: ' + r.excluded : '');
        }]
      }
    }, [x, mean, excluded], container);
    (window.lbHistoryCharts = window.lbHistoryCharts || []).push(plot);
    return plot;
  }

  return { draw: draw, num: num };
})();
