// lb history report: every series' runs over time (each drawn by lbHistoryChart, history-chart.js), drawn from the
// inlined data as text, never as markup.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("lb-data").textContent);

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }

  var num = lbHistoryChart.num;

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

    lbHistoryChart.draw(chart, s, { width: Math.min(1100, Math.max(400, box.clientWidth || 900)), info: info });
  });
})();
