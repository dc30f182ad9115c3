// lb history report: every series' runs over time, drawn from the inlined data as text, never as markup.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("lb-data").textContent);

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }

  function num(v) {
    if (v === null || v === undefined) { return "-"; }
    var a = Math.abs(v);
    return a !== 0 && (a >= 1e9 || a < 1e-3) ? v.toExponential(3) : v.toPrecision(4);
  }

  function table(head, rows) {
    var t = el("table"), tr = el("tr");
    head.forEach(function (h) { tr.appendChild(el("th", h)); });
    t.appendChild(tr);
    rows.forEach(function (r) {
      var row = el("tr");
      r.forEach(function (c) { row.appendChild(el("td", c)); });
      t.appendChild(row);
    });
    return t;
  }

  document.getElementById("meta").textContent = "store " + data.store + "; " + data.series.length
      + " series; generated " + data.generated;

  var events = [];
  data.series.forEach(function (s) {
    s.change_points.forEach(function (c) {
      events.push([s.name, "change point", c.run_id, (c.percent >= 0 ? "+" : "") + c.percent.toFixed(2) + " %",
        c.verdict, "p " + num(c.p_value)]);
    });
    s.checks.forEach(function (c) {
      if (c.verdict === "regression") {
        events.push([s.name, "regression (lb history check)", c.run_id, "", c.verdict,
          "outside " + num(c.lower) + " .. " + num(c.upper)]);
      }
    });
  });
  var ev = document.getElementById("events");
  if (events.length === 0) {
    ev.appendChild(el("p", "No change point and no regression in these series."));
  } else {
    ev.appendChild(table(["Series", "What", "Run", "Change", "Verdict", "Evidence"], events));
  }

  var box = document.getElementById("series");
  data.series.forEach(function (s) {
    var sec = el("section", null, "history-series");
    sec.appendChild(el("h3", s.name + (s.primary ? " (primary)" : "") + ", " + s.direction.replace(/_/g, " ")));
    var info = el("p", "", "run-info");
    sec.appendChild(info);
    var chart = el("div", null, "history-chart");
    sec.appendChild(chart);
    box.appendChild(sec);

    var x = [], mean = [], min = [], max = [], excluded = [];
    s.runs.forEach(function (r, i) {
      x.push(i);
      mean.push(r.excluded ? null : r.mean);
      excluded.push(r.excluded ? r.mean : null);
      min.push(r.min === undefined ? null : r.min);
      max.push(r.max === undefined ? null : r.max);
    });
    var cpIndex = {};
    s.runs.forEach(function (r, i) { cpIndex[r.run_id] = i; });
    var cps = s.change_points.map(function (c) { return cpIndex[c.run_id]; });

    var opts = {
      width: Math.min(1100, Math.max(400, box.clientWidth || 900)),
      height: 240,
      scales: { x: { time: false } },
      axes: [{ label: "run (time order)" }, { label: s.unit }],
      series: [
        { label: "run" },
        { label: "mean", stroke: "#1f77b4", width: 2, points: { show: true, size: 5 } },
        { label: "min", stroke: "#9ecae1", width: 1, dash: [4, 4] },
        { label: "max", stroke: "#9ecae1", width: 1, dash: [4, 4] },
        { label: "excluded", stroke: "#aaaaaa", width: 0, points: { show: true, size: 6, fill: "#cccccc" } }
      ],
      hooks: {
        draw: [function (u) {
          var ctx = u.ctx;
          ctx.save();
          ctx.strokeStyle = "#d62728";
          ctx.lineWidth = 2;
          cps.forEach(function (i) {
            if (i === undefined) { return; }
            var px = u.valToPos(i - 0.5, "x", true);
            ctx.beginPath();
            ctx.moveTo(px, u.bbox.top);
            ctx.lineTo(px, u.bbox.top + u.bbox.height);
            ctx.stroke();
          });
          ctx.restore();
        }],
        setCursor: [function (u) {
          var i = u.cursor.idx;
          if (i === null || i === undefined || !s.runs[i]) { info.textContent = ""; return; }
          var r = s.runs[i], labels = Object.keys(r.labels).map(function (k) { return k + "=" + r.labels[k]; });
          info.textContent = r.run_id + ": " + num(r.mean) + " " + s.unit + " (n = " + r.n + ")"
              + (labels.length ? "; " + labels.join(" ") : "") + (r.excluded ? "; excluded: " + r.excluded : "");
        }]
      }
    };
    new uPlot(opts, [x, mean, min, max, excluded], chart);
  });
})();
